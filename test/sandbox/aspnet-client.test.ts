// Issue 12's proof, the sandbox side: the client's provisioning flow (convert a lead, import,
// read the OVOC customer) against the sandbox with each ASP.NET behaviour switched on, with
// response validation off and on.
// Every combination must succeed: each switch is a legitimate ASP.NET default the vendor has not
// ruled out (issue 12), so neither the contract nor the client may reject it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specExample } from '../../src/contract/index.js';
import { createLivePlatformClient } from '../../src/index.js';
import {
  ASPNET_SWITCHES,
  DEFAULT_SANDBOX_TOKEN,
  startSandbox,
  type AspNetSwitch,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import type { CreateCustomerFromLeadRequest, ImportCustomerRequest } from '../../src/types.js';

async function provision(sandbox: RunningSandbox, validateResponses: boolean): Promise<string> {
  const lp = createLivePlatformClient({
    baseUrl: sandbox.url,
    token: DEFAULT_SANDBOX_TOKEN,
    validateResponses,
  });
  const wait = { intervalMs: 20, maxIntervalMs: 20, timeoutMs: 20_000 };
  const converted = await lp.beginCreateCustomerFromLead(
    specExample<CreateCustomerFromLeadRequest>('CreateCustomerFromLeadRequest'),
    wait,
  );
  expect(converted.status).toBe('CompletedSuccess');
  const guid = (converted.outputData as { umpCustomerGuid: string }).umpCustomerGuid;
  const imported = await lp.beginImportCustomer(
    guid,
    specExample<ImportCustomerRequest>('ImportCustomerRequest'),
    wait,
  );
  expect(imported.status).toBe('CompletedSuccess');
  // The OVOC customer the import just made, not the fixture: the sandbox's control plane links them.
  const customer = (await (
    await fetch(`${sandbox.url}/_sandbox/customer?id=${guid}`, {
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
    })
  ).json()) as { ovocCustomerId: number | null };
  const id = customer.ovocCustomerId;
  expect(id).toBeGreaterThan(85844);
  const ovoc = await lp.PUT('/api/ovoc/v1/topology/customers/{id}', { params: { path: { id: id! } } });
  expect(ovoc.error).toBeUndefined();
  expect(ovoc.data!.id).toBe(id);
  return ovoc.data!.name;
}

describe('the client flow against each ASP.NET behaviour', () => {
  const sandboxes = new Map<AspNetSwitch, RunningSandbox>();
  beforeAll(async () => {
    for (const s of ASPNET_SWITCHES)
      sandboxes.set(s, await startSandbox({ taskDurationMs: 0, aspnet: { [s]: true } }));
  });
  afterAll(async () => {
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
  });

  for (const s of ASPNET_SWITCHES) {
    for (const validation of ['off', 'on'] as const) {
      it(`${s}, validation ${validation}: converts, imports and reads the new OVOC customer`, async () => {
        // Each run converts the fixture lead: reset first.
        const sandbox = sandboxes.get(s)!;
        await fetch(`${sandbox.url}/_sandbox/reset`, {
          method: 'POST',
          headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
        });
        // The OVOC customer is named after the converted lead's short name.
        const { customerShortName } = specExample<CreateCustomerFromLeadRequest>(
          'CreateCustomerFromLeadRequest',
        );
        expect(await provision(sandbox, validation === 'on')).toBe(customerShortName);
      });
    }
  }
});

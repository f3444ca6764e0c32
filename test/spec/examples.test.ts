import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  loadSpec,
  operations,
  specExample,
  validateRequestBody,
  validateResponseBody,
} from '../../src/contract/index.js';

// Where each named example is used: the operation, and `request` or the response status.
const uses = operations.flatMap((op) => [
  ...(op.requestBody?.examples ?? []).map((name) => ({ name, op: op.operationId, where: 'request' as const })),
  ...Object.entries(op.responses).flatMap(([status, r]) =>
    r.examples.map((name) => ({ name, op: op.operationId, where: Number(status) })),
  ),
]);

describe('generated/openapi.json named examples', () => {
  it('uses every example in components/examples somewhere', () => {
    const used = new Set(uses.map((u) => u.name.replace(/Problem$/, '')));
    const defined = Object.keys(loadSpec().components.examples).map((n) => n.replace(/Problem$/, ''));
    expect(defined.filter((n) => !used.has(n))).toEqual([]);
  });

  it.each(uses.map((u) => [u.name, u.op, u.where] as const))('%s validates as %s %s', (name, op, where) => {
    const value = specExample(name.endsWith('Problem') || !(name in loadSpec().components.examples) ? name : name);
    const issues = where === 'request' ? validateRequestBody(op, value) : validateResponseBody(op, where, value).issues;
    expect(issues).toEqual([]);
  });
});

const task = () => specExample<Record<string, unknown>>('TaskConverted');
const essentials = () => specExample<Record<string, unknown>>('CreateEssentialsCustomerRequest');
const lead = () => specExample<Record<string, unknown>>('CreateCustomerFromLeadRequest');

// Bodies that break what the vendor's examples show; each must be refused by the contract.
const wrong: [string, string, 'request' | number, unknown][] = [
  ['task status in prose spelling', 'getTask', 200, { ...task(), status: 'Completed Success' }],
  ['task status outside the enum', 'getTask', 200, { ...task(), status: 'Done' }],
  ['task details as a string', 'getTask', 200, { ...task(), details: 'Converted' }],
  ['task without createTime', 'getTask', 200, (({ createTime: _, ...t }) => t)(task())],
  ['task createTime with a space', 'getTask', 200, { ...task(), createTime: '2024-04-16 11:58:36' }],
  ['task createTime with 8 fraction digits', 'getTask', 200, { ...task(), createTime: '2024-04-16T11:58:36.12345678Z' }],
  ['message level outside the enum', 'getTask', 200, { ...task(), executionMessages: [{ level: 'Debug', message: 'x' }] }],
  ['outputData of an unknown shape', 'getTask', 200, { ...task(), outputData: { umpCustomerGuid: 42 } }],
  ['task id without prefix', 'getTask', 200, { ...task(), id: '9a7ff916-aab2-41d1-a9fe-0e9baacf4a15' }],
  ['import answer as {taskId} (the table)', 'importCustomerFromOvoc', 200, { taskId: 'tsk_185510' }],
  ['siteLocationIds as integers (the table)', 'createEssentialsCustomer', 200, {
    ...specExample<object>('EssentialsCustomerCreated'),
    siteLocationIds: [1],
  }],
  ['customerGuid instead of id (the table)', 'createEssentialsCustomer', 200, (({ id, ...c }) => ({ ...c, customerGuid: id }))(
    specExample<{ id: string }>('EssentialsCustomerCreated'),
  )],
  ['OVOC id as a string', 'verifyLcCustomer', 200, { ...specExample<object>('OvocCustomerBrad984'), id: '85844' }],
  ['siteLocation as a list (the table)', 'createEssentialsCustomer', 'request', { ...essentials(), siteLocation: [{ sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 }] }],
  ['short name of 2 characters', 'createEssentialsCustomer', 'request', { ...essentials(), shortName: 'ab' }],
  ['short name of 16 characters', 'createEssentialsCustomer', 'request', { ...essentials(), shortName: 'a'.repeat(16) }],
  ['short name with a dot', 'createEssentialsCustomer', 'request', { ...essentials(), shortName: 'Brad.SB' }],
  ['short name with a blank', 'createEssentialsCustomer', 'request', { ...essentials(), shortName: 'Brad SB' }],
  ['short name with a pipe', 'createEssentialsCustomer', 'request', { ...essentials(), shortName: 'Brad|SB' }],
  ['full name over 200 characters', 'createEssentialsCustomer', 'request', { ...essentials(), fullName: 'x'.repeat(201) }],
  ['customer variable that is not a string', 'createEssentialsCustomer', 'request', { ...essentials(), Region: 5 }],
  ['ovocCustomerType outside the enum', 'createEssentialsCustomer', 'request', { ...essentials(), ovocCustomerType: 'TENANT_TYPE_GW' }],
  ['v3 with the table field names', 'createCustomerFromLead', 'request', {
    ConfigurationName: 'OcEssential_IPGROUP_TYPE',
    shortName: 'SIPTest4',
    CustomerFulName: 'SIPTest4',
    msTenantID: 'f79a7f93-5ef7-47d2-92c8-e4570503cec3',
    scriptParameters: { ProxySet: 'SIPTrunk', OnlinePstnGateway: 'oc1.sandbox2.audiocodes.be' },
  }],
  ['v3 without ProxySet', 'createCustomerFromLead', 'request', { ...lead(), scriptParameters: { OnlinePstnGateway: 'x' } }],
  ['v3 tenant id that is not a uuid', 'createCustomerFromLead', 'request', { ...lead(), msTenantId: 'contoso' }],
  ['import without customerType', 'importCustomerFromOvoc', 'request', { customerSource: 'LTC' }],
  ['import customerSource outside the enum', 'importCustomerFromOvoc', 'request', { customerType: 'TENANT_TYPE', customerSource: 'Teams' }],
  ['problem without status', 'getTask', 404, { title: 'Not Found' }],
  ['validation problem without errors', 'createEssentialsCustomer', 400, { title: 'Bad', status: 400 }],
];

describe('generated/validators.js rejects wrong bodies', () => {
  it.each(wrong)('%s', (_, op, where, body) => {
    const issues = where === 'request' ? validateRequestBody(op, body) : validateResponseBody(op, where, body).issues;
    expect(issues.length).toBeGreaterThan(0);
  });

  it('accepts what the vendor accepts and the task refuses later (v3 names)', () => {
    expect(validateRequestBody('createCustomerFromLead', specExample('CreateCustomerFromLeadShortNameTooLong'))).toEqual([]);
    expect(validateRequestBody('createCustomerFromLead', { ...lead(), customerShortName: 'x' })).toEqual([]);
  });

  it('accepts customer variables as strings beside the named fields (v2)', () => {
    expect(validateRequestBody('createEssentialsCustomer', { ...essentials(), Region: 'EU', Carrier: 'SIPTrunk' })).toEqual([]);
  });

  it('names the JSON path of each problem', () => {
    const issues = validateResponseBody('getTask', 200, { ...task(), executionMessages: [{ level: 'Debug', message: 'x' }] }).issues;
    expect(issues.map((i) => i.path)).toContain('/executionMessages/0/level');
  });
});

describe('spec/components/schemas/VendorDateTime.yaml', () => {
  const withTime = (createTime: string) => validateResponseBody('getTask', 200, { ...task(), createTime }).issues;
  it.each(['0001-01-01T00:00:00', '2024-04-16T11:58:36.6745335Z', '2025-08-14T08:16:18.736+0000', '2025-08-14T08:16:18+02:00'])(
    'accepts the vendor form %s',
    (v) => expect(withTime(v)).toEqual([]),
  );
  it.each(['2025-08-14', '2025-08-14T08:16', '14/08/2025 08:16:18', '2025-08-14T08:16:18+2'])('rejects %s', (v) =>
    expect(withTime(v).length).toBeGreaterThan(0),
  );
});

// issue 12: what a stock ASP.NET Core server may send where the vendor's pages are silent.
describe('the contract accepts the ASP.NET behaviours the vendor has not ruled out', () => {
  const okResponse = (op: string, status: number, body: unknown) => validateResponseBody(op, status, body).issues;
  const started = 'wst_1a93b0c9-5ab0-4d3f-af25-c0f18ad0aa2e';

  it('lead start as {taskId} or {jobId}, exactly one of them, each a task id', () => {
    expect(okResponse('createCustomerFromLead', 200, { taskId: started })).toEqual([]);
    expect(okResponse('createCustomerFromLead', 200, { jobId: started })).toEqual([]);
    expect(okResponse('createCustomerFromLead', 200, { jobId: started, traceId: 'x' })).toEqual([]);
    expect(okResponse('createCustomerFromLead', 200, { taskId: started, jobId: started }).length).toBeGreaterThan(0);
    expect(okResponse('createCustomerFromLead', 200, {}).length).toBeGreaterThan(0);
    expect(okResponse('createCustomerFromLead', 200, { jobId: 'not a task id' }).length).toBeGreaterThan(0);
  });

  it('unknown members on every response object, known members keeping their types', () => {
    const extra = { aspNetExtra: 1 };
    const converted = task() as { executionMessages: object[]; outputData: object };
    expect(
      okResponse('getTask', 200, {
        ...converted,
        ...extra,
        executionMessages: converted.executionMessages.map((m) => ({ ...m, ...extra })),
        outputData: { ...converted.outputData, ...extra },
      }),
    ).toEqual([]);
    expect(okResponse('getTask', 200, { ...task(), executionMessages: [{ level: 'Information', message: 1 }] }).length).toBeGreaterThan(0);
    expect(okResponse('getTask', 200, (({ executionMessages: _, ...t }) => t)(task())).length).toBeGreaterThan(0);
  });

  it("outputData of another workflow, a known member keeping its type; details words stay open", () => {
    expect(okResponse('getTask', 200, { ...task(), outputData: { numbersAdded: 3, region: 'EU' } })).toEqual([]);
    expect(okResponse('getTask', 200, { ...task(), details: ['NumbersUploaded'] })).toEqual([]);
    expect(okResponse('getTask', 200, { ...task(), outputData: { numbersAdded: 3, workflowVersion: 'three' } }).length).toBeGreaterThan(0);
    expect(okResponse('getTask', 200, { ...task(), outputData: [] }).length).toBeGreaterThan(0);
  });

  it('the import id as text/plain has its own validator; a 401 may be empty', () => {
    const imp = operations.find((o) => o.operationId === 'importCustomerFromOvoc')!;
    expect(imp.responses['200']?.mediaTypes).toEqual(['application/json', 'text/plain']);
    expect(imp.responses['200']?.textValidator).toBeTruthy();
    for (const op of operations) {
      expect(op.responses['401']?.emptyBodyAllowed, op.operationId).toBe(true);
      expect(op.responses['400']?.emptyBodyAllowed, op.operationId).toBe(false);
    }
  });

  it('ASP.NET JSON-path error keys, and 429 without Retry-After', async () => {
    const { validateResponseHeaders } = await import('../../src/contract/index.js');
    expect(
      okResponse('createEssentialsCustomer', 400, { title: 'Bad', status: 400, errors: { '$.shortName': ['too long'] } }),
    ).toEqual([]);
    expect(validateResponseHeaders('getTask', 429, {})).toEqual([]);
    expect(validateResponseHeaders('getTask', 429, { 'retry-after': 'soon' }).length).toBeGreaterThan(0);
    expect(validateResponseHeaders('getTask', 401, {}).length).toBeGreaterThan(0);
  });

  it('keeps the status enum strict: a status outside it is drift', () => {
    expect(okResponse('getTask', 200, { ...task(), status: 'Queued' }).length).toBeGreaterThan(0);
  });
});

// A generator that tries anyOf members in order and keeps only the first match's declared members
// (orval's zod union of z.object) must keep every vendor example's outputData.
describe('TaskOutputData anyOf order', () => {
  const spec = loadSpec() as unknown as { components: { schemas: Record<string, { anyOf?: { $ref: string }[] }> } };
  const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, validateFormats: false });
  // z.object() accepts an object with more members than it declares (and strips them), so the
  // order test matches as zod does: without maxProperties / additionalProperties: false.
  const zodLike = JSON.parse(JSON.stringify(spec.components), (k, v) =>
    k === 'maxProperties' || (k === 'additionalProperties' && v === false) ? undefined : v,
  );
  ajv.addSchema({ $id: 'openapi.json', components: zodLike });
  const members = (spec.components.schemas.TaskOutputData?.anyOf ?? []).map((m) => {
    const name = m.$ref.split('/').pop()!;
    const schema = spec.components.schemas[name] as { properties?: object; additionalProperties?: unknown };
    return { name, validate: ajv.compile({ $ref: `openapi.json${m.$ref}` }), schema };
  });
  const taskExamples = uses.filter((u) => u.op === 'getTask' && u.where === 200).map((u) => u.name);

  it('puts the empty object last', () => {
    expect(members.at(-1)?.name).toBe('EmptyOutputData');
  });

  it.each(taskExamples)('%s: the first member that matches keeps all of outputData', (name) => {
    const outputData = specExample<{ outputData: Record<string, unknown> }>(name).outputData;
    const first = members.find((m) => m.validate(outputData));
    expect(first, 'some member matches').toBeDefined();
    const declared = Object.keys(first!.schema.properties ?? {});
    expect(Object.keys(outputData).filter((k) => !declared.includes(k))).toEqual([]);
  });
});

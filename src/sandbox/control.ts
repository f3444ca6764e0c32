import { UUID } from '../contract/index.js';
import type { FaultQueue } from './faults.js';
import type { Reply } from './handlers.js';
import { addError, errorMap, validationProblem } from './problems.js';
import type { SandboxState } from './state.js';

/** What the control plane may touch: the state (replaced on reset) and the fault queue. */
export interface ControlTarget {
  state: SandboxState;
  faults: FaultQueue;
  reset(): void;
}

interface ControlRoute {
  method: 'GET' | 'POST';
  /** Whether the route reads a JSON body (415/413/400 apply); the others ignore any body. */
  json: boolean;
  run(target: ControlTarget, body: unknown, now: number): Reply;
}

const reply = (status: number, value: unknown): Reply => ({ status, json: JSON.stringify(value) });
const invalid = (errors: Record<string, string[]>): Reply => reply(400, validationProblem(errors));

/** The sandbox's own endpoints, under /_sandbox/: not part of the vendor's API or the contract. */
export const controlRoutes: Record<string, ControlRoute> = {
  '/_sandbox/reset': {
    method: 'POST',
    json: false,
    run(target) {
      target.reset();
      return reply(200, { reset: true });
    },
  },
  '/_sandbox/state': {
    method: 'GET',
    json: false,
    run(target, _body, now) {
      return reply(200, { ...target.state.snapshot(now), faults: target.faults.pending() });
    },
  },
  '/_sandbox/leads': {
    method: 'POST',
    json: true,
    run(target, body) {
      const tenant = (body as { msTenantId?: unknown } | null)?.msTenantId;
      const errors = errorMap();
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        addError(errors, '$', 'Send a JSON object such as {"msTenantId": "<uuid>"}.');
      } else {
        for (const k of Object.keys(body))
          if (k !== 'msTenantId') addError(errors, k, 'Unknown field; the only field is msTenantId.');
        if (typeof tenant !== 'string' || !UUID.test(tenant))
          addError(errors, 'msTenantId', 'Required: the Microsoft tenant id, a uuid.');
      }
      if (Object.keys(errors).length) return invalid(errors);
      return reply(201, target.state.addLead(tenant as string));
    },
  },
  '/_sandbox/faults': {
    method: 'POST',
    json: true,
    run(target, body) {
      const result = target.faults.add(body);
      return 'errors' in result ? invalid(result.errors) : reply(201, result.fault);
    },
  },
};

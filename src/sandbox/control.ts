import { wholeNumber } from '../internal/whole-number.js';
import { UUID } from '../contract/index.js';
import type { FaultQueue } from './faults.js';
import { addError, errorMap, problemReply, validationReply, type Reply } from '../internal/problems.js';
import { capReached } from './limits.js';
import { customerView, type SandboxState } from './state.js';

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
  run(target: ControlTarget, body: unknown, now: number, query: URLSearchParams): Reply;
}

const reply = (status: number, value: unknown): Reply => ({ status, json: JSON.stringify(value) });

/** A page of the state is at most this long, so the answer stays small and quick to build. */
export const STATE_PAGE_MAX = 1_000;

/** `?offset&limit` of GET /_sandbox/state: whole numbers, limit 1 to STATE_PAGE_MAX (the default). */
function pageOf(
  query: URLSearchParams,
): { offset: number; limit: number } | { errors: Record<string, string[]> } {
  const errors = errorMap();
  const read = (name: string, fallback: number, min: number, max: number) => {
    const text = query.get(name);
    if (text === null) return fallback;
    const n = wholeNumber(text, min, max);
    if (n === undefined) addError(errors, name, `Must be a whole number from ${min} to ${max}.`);
    return n ?? fallback;
  };
  const offset = read('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = read('limit', STATE_PAGE_MAX, 1, STATE_PAGE_MAX);
  return Object.keys(errors).length ? { errors } : { offset, limit };
}
const invalid = validationReply;

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
    run(target, _body, now, query) {
      const paging = pageOf(query);
      if ('errors' in paging) return invalid(paging.errors);
      const { offset, limit } = paging;
      const { state, faults } = target;
      const counts = { ...state.counts(), faults: faults.size };
      // The page after this one exists while any list is longer than this page reaches.
      const longest = Math.max(
        counts.leads,
        counts.sbcs,
        counts.customers,
        counts.ovocCustomers,
        counts.tasks,
        counts.faults,
      );
      return reply(200, {
        ...state.snapshot(now, offset, limit),
        faults: faults.pending(offset, limit),
        counts,
        limits: state.limits,
        page: {
          offset,
          limit,
          next: offset + limit < longest ? offset + limit : null,
        },
      });
    },
  },
  // One customer by its customerGuid, with the OVOC customer it is linked to: what a test needs after
  // an import (the vendor's API never says which OVOC id an import made), without paging the state.
  '/_sandbox/customer': {
    method: 'GET',
    json: false,
    run(target, _body, _now, query) {
      const id = query.get('id');
      if (id === null || !UUID.test(id))
        return invalid({ id: ['Required: the customerGuid, a uuid (GET /_sandbox/customer?id=<uuid>).'] });
      const customer = target.state.customers.get(id.toLowerCase()) ?? target.state.customers.get(id);
      return customer
        ? reply(200, customerView(customer))
        : problemReply(404, `No customer ${id} in the sandbox (a reset clears the ones you made).`);
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
      if (!target.state.roomForLead(tenant as string))
        return capReached('maxLeads', target.state.limits, 'leads');
      return reply(201, target.state.addLead(tenant as string));
    },
  },
  '/_sandbox/faults': {
    method: 'POST',
    json: true,
    run(target, body) {
      if (target.faults.size >= target.faults.max)
        return capReached('maxFaults', target.state.limits, 'faults');
      const result = target.faults.add(body);
      return 'errors' in result ? invalid(result.errors) : reply(201, result.fault);
    },
  },
};

import { UUID } from '../contract/index.js';
import {
  addError,
  errorMap,
  jsonReply,
  problemReply,
  validationReply,
  type Reply,
} from '../internal/problems.js';
import { wholeNumber } from '../internal/whole-number.js';
import type { FaultQueue } from './faults.js';
import { capReached } from './limits.js';
import { customerView, type SandboxState } from './state.js';
import { isJsonObject } from '../internal/json.js';

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

/** A page of the state is at most this long, so the answer stays small and quick to build. */
const STATE_PAGE_MAX = 1_000;

/** The sandbox's own endpoints, under /_sandbox/: not part of the vendor's API or the contract. */
export const controlRoutes: Record<string, ControlRoute> = {
  '/_sandbox/reset': {
    method: 'POST',
    json: false,
    run(target) {
      target.reset();
      return jsonReply({ reset: true });
    },
  },
  '/_sandbox/state': {
    method: 'GET',
    json: false,
    // `?offset&limit`: whole numbers, limit 1 to STATE_PAGE_MAX (the default).
    run({ state, faults }, _body, now, query) {
      const errors = errorMap();
      const read = (name: string, fallback: number, min: number, max: number) => {
        const text = query.get(name);
        const n = text === null ? fallback : wholeNumber(text, min, max);
        if (n === undefined) addError(errors, name, `Must be a whole number from ${min} to ${max}.`);
        return n ?? fallback;
      };
      const offset = read('offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = read('limit', STATE_PAGE_MAX, 1, STATE_PAGE_MAX);
      if (Object.keys(errors).length) return validationReply(errors);
      const counts = { ...state.counts(), faults: faults.list.length };
      // The page after this one exists while any list is longer than this page reaches.
      const { variableBytes: _bytes, ...lists } = counts;
      const next = offset + limit < Math.max(...Object.values(lists)) ? offset + limit : null;
      return jsonReply({
        ...state.snapshot(now, offset, limit),
        faults: faults.list.slice(offset, offset + limit),
        counts,
        limits: state.limits,
        page: { offset, limit, next },
      });
    },
  },
  // One customer by its customerGuid, with the OVOC customer it is linked to: what a test needs after
  // an import (the vendor's API never says which OVOC id an import made), without paging the state.
  '/_sandbox/customer': {
    method: 'GET',
    json: false,
    run({ state }, _body, _now, query) {
      const id = query.get('id');
      if (id === null || !UUID.test(id))
        return validationReply({
          id: ['Required: the customerGuid, a uuid (GET /_sandbox/customer?id=<uuid>).'],
        });
      const customer = state.customer(id);
      return customer
        ? jsonReply(customerView(customer))
        : problemReply(404, `No customer ${id} in the sandbox (a reset clears the ones you made).`);
    },
  },
  '/_sandbox/leads': {
    method: 'POST',
    json: true,
    run({ state }, body) {
      if (!isJsonObject(body))
        return validationReply({ $: ['Send a JSON object such as {"msTenantId": "<uuid>"}.'] });
      const errors = errorMap();
      for (const k of Object.keys(body))
        if (k !== 'msTenantId') addError(errors, k, 'Unknown field; the only field is msTenantId.');
      const tenant = body.msTenantId;
      if (typeof tenant !== 'string' || !UUID.test(tenant))
        addError(errors, 'msTenantId', 'Required: the Microsoft tenant id, a uuid.');
      if (Object.keys(errors).length) return validationReply(errors);
      if (!state.roomForLead(tenant as string)) return capReached('maxLeads', state.limits, 'leads');
      return jsonReply(state.addLead(tenant as string), 201);
    },
  },
  '/_sandbox/faults': {
    method: 'POST',
    json: true,
    run({ state, faults }, body) {
      if (faults.list.length >= faults.max) return capReached('maxFaults', state.limits, 'faults');
      const result = faults.add(body);
      return 'errors' in result ? validationReply(result.errors) : jsonReply(result.fault, 201);
    },
  },
};

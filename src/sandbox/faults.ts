import { operations, validateResponseHeaders } from '../contract/index.js';
import { addError, errorMap } from '../internal/problems.js';
import { isJsonObject } from '../internal/json.js';
import { isWholeNumber } from '../internal/whole-number.js';

export type FaultKind = '429' | '503' | 'delay';

/** A scripted failure: the next `remaining` matching public requests get it. */
export interface Fault {
  id: number;
  fault: FaultKind;
  remaining: number;
  operationId: string | null;
  retryAfter: string | null;
  delayMs: number | null;
}

const MAX_FAULT_COUNT = 10_000;
const MAX_DELAY_MS = 60_000;
const FIELDS = ['fault', 'count', 'operationId', 'retryAfter', 'delayMs'];

/** Checks a POST /_sandbox/faults body; returns the fault or an `errors` map that says what to fix. */
function parseFault(body: unknown, id: number): { fault: Fault } | { errors: Record<string, string[]> } {
  if (!isJsonObject(body))
    return { errors: { $: ['Send a JSON object such as {"fault": "429", "count": 2}.'] } };
  const errors = errorMap();
  const fail = (field: string, message: string) => addError(errors, field, message);
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b))
    if (!FIELDS.includes(k)) fail(k, `Unknown field; the fields are ${FIELDS.join(', ')}.`);
  const { fault: kind, delayMs } = b;
  if (kind !== '429' && kind !== '503' && kind !== 'delay')
    fail('fault', 'Required: "429", "503" or "delay" (as a string).');
  const count = b.count ?? 1;
  if (!isWholeNumber(count, 1, MAX_FAULT_COUNT))
    fail('count', `Must be a whole number from 1 to ${MAX_FAULT_COUNT} (default 1).`);
  const operationId = b.operationId ?? null;
  if (operationId !== null && !operations.some((o) => o.operationId === operationId)) {
    const ids = operations.map((o) => o.operationId).join(', ');
    fail('operationId', `Must be one of ${ids}, or left out for any operation.`);
  }
  const retryAfter = typeof b.retryAfter === 'number' ? String(b.retryAfter) : b.retryAfter;
  // The contract's own Retry-After header validator decides what is a valid value.
  if (
    retryAfter !== undefined &&
    (typeof retryAfter !== 'string' ||
      validateResponseHeaders('getTask', 429, { 'retry-after': retryAfter }).length)
  )
    fail(
      'retryAfter',
      'Must be a number of seconds ("2") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT").',
    );
  else if (retryAfter !== undefined && kind === 'delay')
    fail('retryAfter', 'Only a 429 or 503 fault has a Retry-After; remove it or change the fault.');
  if (kind === 'delay' && !isWholeNumber(delayMs, 0, MAX_DELAY_MS))
    fail('delayMs', `A delay fault needs delayMs, a whole number of milliseconds from 0 to ${MAX_DELAY_MS}.`);
  else if (kind !== 'delay' && delayMs !== undefined)
    fail('delayMs', 'Only a delay fault takes delayMs; remove it or use "fault": "delay".');
  if (Object.keys(errors).length) return { errors };
  return {
    fault: {
      id,
      fault: kind as FaultKind,
      remaining: count as number,
      operationId: operationId as string | null,
      retryAfter: (retryAfter as string | undefined) ?? (kind === '429' ? '1' : null),
      delayMs: kind === 'delay' ? (delayMs as number) : null,
    },
  };
}

/** The pending faults; each public request takes at most one. */
export class FaultQueue {
  /** Oldest first. */
  readonly list: Fault[] = [];
  private nextId = 1;

  /** `max` caps the queue (StateLimits.maxFaults): each request scans it, so it stays short. */
  constructor(readonly max = 1_000) {}

  add(body: unknown): { fault: Fault } | { errors: Record<string, string[]> } {
    const parsed = parseFault(body, this.nextId);
    if ('fault' in parsed) {
      this.nextId++;
      this.list.push(parsed.fault);
    }
    return parsed;
  }

  take(operationId: string): Fault | undefined {
    const i = this.list.findIndex((f) => f.operationId === null || f.operationId === operationId);
    const fault = this.list[i];
    if (fault && --fault.remaining === 0) this.list.splice(i, 1);
    return fault;
  }

  clear(): void {
    this.list.length = 0;
  }
}

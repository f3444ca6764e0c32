import { operations, validateResponseHeaders } from '../contract/index.js';
import { addError, errorMap } from '../internal/problems.js';

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

export const MAX_FAULT_COUNT = 10_000;
export const MAX_DELAY_MS = 60_000;
const FIELDS = ['fault', 'count', 'operationId', 'retryAfter', 'delayMs'];

/** Checks a POST /_sandbox/faults body; returns the fault or an `errors` map that says what to fix. */
export function parseFault(
  body: unknown,
  id: number,
): { fault: Fault } | { errors: Record<string, string[]> } {
  const errors = errorMap();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    addError(errors, '$', 'Send a JSON object such as {"fault": "429", "count": 2}.');
    return { errors };
  }
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (!FIELDS.includes(k)) addError(errors, k, `Unknown field; the fields are ${FIELDS.join(', ')}.`);
  }
  const kind = b.fault;
  if (kind !== '429' && kind !== '503' && kind !== 'delay') {
    addError(errors, 'fault', 'Required: "429", "503" or "delay" (as a string).');
  }
  const count = b.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_FAULT_COUNT) {
    addError(errors, 'count', `Must be a whole number from 1 to ${MAX_FAULT_COUNT} (default 1).`);
  }
  const operationId = b.operationId ?? null;
  if (operationId !== null && !operations.some((o) => o.operationId === operationId)) {
    addError(
      errors,
      'operationId',
      `Must be one of ${operations.map((o) => o.operationId).join(', ')}, or left out for any operation.`,
    );
  }
  let retryAfter: string | null = null;
  if (b.retryAfter !== undefined) {
    const value = typeof b.retryAfter === 'number' ? String(b.retryAfter) : b.retryAfter;
    // The contract's own Retry-After header validator decides what is a valid value.
    if (
      typeof value !== 'string' ||
      validateResponseHeaders('getTask', 429, { 'retry-after': value }).length
    ) {
      addError(
        errors,
        'retryAfter',
        'Must be a number of seconds ("2") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT").',
      );
    } else if (kind === 'delay') {
      addError(
        errors,
        'retryAfter',
        'Only a 429 or 503 fault has a Retry-After; remove it or change the fault.',
      );
    } else retryAfter = value;
  } else if (kind === '429') retryAfter = '1';
  let delayMs: number | null = null;
  if (kind === 'delay') {
    if (!Number.isInteger(b.delayMs) || (b.delayMs as number) < 0 || (b.delayMs as number) > MAX_DELAY_MS) {
      addError(
        errors,
        'delayMs',
        `A delay fault needs delayMs, a whole number of milliseconds from 0 to ${MAX_DELAY_MS}.`,
      );
    } else delayMs = b.delayMs as number;
  } else if (b.delayMs !== undefined) {
    addError(errors, 'delayMs', 'Only a delay fault takes delayMs; remove it or use "fault": "delay".');
  }
  if (Object.keys(errors).length) return { errors };
  return {
    fault: {
      id,
      fault: kind as FaultKind,
      remaining: count as number,
      operationId: operationId as string | null,
      retryAfter,
      delayMs,
    },
  };
}

/** The pending faults, oldest first; each public request takes at most one. */
export class FaultQueue {
  private list: Fault[] = [];
  private nextId = 1;

  /** `max` caps the queue (StateLimits.maxFaults): each request scans it, so it stays short. */
  constructor(readonly max = 1_000) {}

  get size(): number {
    return this.list.length;
  }

  add(body: unknown): { fault: Fault } | { errors: Record<string, string[]> } {
    const parsed = parseFault(body, this.nextId);
    if ('fault' in parsed) {
      this.nextId++;
      this.list.push(parsed.fault);
    }
    return parsed;
  }

  take(operationId: string): Fault | undefined {
    if (this.list.length === 0) return undefined;
    const i = this.list.findIndex((f) => f.operationId === null || f.operationId === operationId);
    if (i === -1) return undefined;
    const fault = this.list[i]!;
    if (--fault.remaining === 0) this.list.splice(i, 1);
    return fault;
  }

  /** Faults `offset` to `offset + limit`, oldest first (GET /_sandbox/state pages them). */
  pending(offset: number, limit: number): Fault[] {
    return this.list.slice(offset, offset + limit).map((f) => ({ ...f }));
  }

  clear(): void {
    this.list = [];
  }
}

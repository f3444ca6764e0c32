import type { WorkflowContext } from '../arazzo.js';
import type { Sent } from '../http.js';
import type { CheckOutcome, CheckRequest, TargetKind } from '../types.js';

/** What the generated phase and its sequences get from a run. */
export interface GeneratedContext extends Partial<
  Pick<WorkflowContext, 'http' | 'pollIntervalMs' | 'taskTimeoutMs' | 'exchange' | 'leadTenantId'>
> {
  targetKind: TargetKind;
  writesAllowed: boolean;
  /** Names of writes to a server the checker did not start carry it. */
  prefix: string;
  seed: number;
  maxExamples: number;
  only?: string;
  maxResponseTimeMs?: number;
  /** --strict: an accepted invalid case that rests on our own decision fails instead of warning. */
  strict?: boolean;
  /**
   * The deterministic task workflow already failed on this server (getTask never confirmed a task):
   * the sequences, which follow tasks too, would only repeat that failure and its polls.
   */
  tasksBroken?: boolean;
  /** Sends one request (the caller counts it) and returns the exchange. */
  send(request: CheckRequest): Promise<Sent>;
  /** Aborts when the phase is stopped (interrupted, or its deadline): fast-check then ends at once. */
  signal?: AbortSignal;
  record(outcome: CheckOutcome): void;
  created(operationId: string, names: string[], id?: string): void;
}

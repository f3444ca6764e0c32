import type { Reply } from '../../internal/problems.js';
import type { SandboxState } from '../state.js';

/**
 * One operation of the contract, in the file named after its operationId. Params and body have
 * passed the contract's validators before a handler sees them.
 */
export type Handler = (
  ctx: { state: SandboxState; taskDurationMs: number; now: number },
  params: Record<string, unknown>,
  body: unknown,
) => Reply;

import { randomBytes } from 'node:crypto';
import type { OperationInfo } from '../contract/index.js';
import { isJsonObject } from '../internal/json.js';
import { readTaskId } from '../internal/task-status.js';
import { resolve, schemaAt } from './schema.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random run prefix: `ct` and 6 [a-z0-9], 8 characters, so a suffix still fits the 15-character name rule. */
export const newRunPrefix = (): string =>
  'ct' + [...randomBytes(6)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/**
 * The free-text name fields of a request body (top-level string properties called `...name`
 * without an enum), read from the contract so that a new operation's names are found too.
 */
export function nameFields(operation: OperationInfo): string[] {
  if (!operation.requestBody) return [];
  const schema = schemaAt(operation.requestBody.schemaPointer) as { properties?: Record<string, unknown> };
  return Object.entries(schema.properties ?? {})
    .filter(([key, node]) => {
      const s = resolve(node) as { type?: unknown; enum?: unknown };
      return /name$/i.test(key) && s.enum === undefined && (s.type === 'string' || s.type === undefined);
    })
    .map(([key]) => key);
}

/**
 * Puts the run prefix in front of every name a body carries, keeping what follows the first 8
 * characters: `SIPTest4abc12345` (16 characters, meant to be too long) stays 16 characters long,
 * `SIPTest4-` keeps its invalid `-`.
 */
export function renameBody(operation: OperationInfo, body: unknown, prefix: string): unknown {
  if (!isJsonObject(body)) return body;
  const out = { ...body };
  for (const key of nameFields(operation)) {
    const value = out[key];
    if (typeof value === 'string') out[key] = prefix + value.slice(prefix.length);
  }
  return out;
}

export function namesIn(operation: OperationInfo, body: unknown): string[] {
  const record = (body ?? {}) as Record<string, unknown>;
  return nameFields(operation)
    .map((k) => record[k])
    .filter((v): v is string => typeof v === 'string');
}

/**
 * What a write answered 2xx made, for the clean-up list: the run's names its request carried (each
 * once) and the id the server answered, a task id first. The id is the server's: it may be anything.
 */
export function createdBy(
  operation: OperationInfo,
  requestBody: unknown,
  answer: unknown,
): { names: string[]; id?: string; taskId?: string } {
  const taskId = readTaskId(answer);
  const id = taskId ?? (answer as { id?: unknown } | undefined)?.id;
  return {
    names: [...new Set(namesIn(operation, requestBody))],
    ...(typeof id === 'string' ? { id } : {}),
    ...(taskId !== undefined ? { taskId } : {}),
  };
}

/** The characters a fresh name swaps in: one class per set, so a swap keeps the name's shape. */
const SWAPS = ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'];

/**
 * `name` if it is not taken, else the nearest name that is not: one ASCII letter or digit after
 * the first `keep` characters (the run prefix) swapped for another of its class, from the end, so
 * its length, its letter case and every other character (an apostrophe, a letter outside ASCII)
 * stay; failing that, with `append`, one such character added while the name stays within
 * `maxLength`. Undefined when none is free.
 */
export function freshName(
  name: string,
  keep: number,
  isTaken: (name: string) => boolean,
  options: { maxLength: number; append: boolean },
): string | undefined {
  if (!isTaken(name)) return name;
  const cps = [...name];
  for (let i = cps.length - 1; i >= keep; i--) {
    const set = SWAPS.find((s) => s.includes(cps[i]!));
    if (!set) continue;
    const at = set.indexOf(cps[i]!);
    for (let k = 1; k < set.length; k++) {
      const candidate = [...cps.slice(0, i), set[(at + k) % set.length]!, ...cps.slice(i + 1)].join('');
      if (!isTaken(candidate)) return candidate;
    }
  }
  if (options.append && cps.length < options.maxLength)
    for (const c of SWAPS.join('')) if (!isTaken(name + c)) return name + c;
  return undefined;
}

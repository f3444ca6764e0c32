import { closeSync, openSync, readSync } from 'node:fs';
import { UUID, validateResponseBody } from '../contract/index.js';
import type { OvocCustomer, Task } from '../types.js';
import type { StateLimits } from './limits.js';
import { fixtures, SandboxState, type SandboxSeed } from './state.js';
import { storedTask, workflowOf } from './tasks.js';

/** A mistake in a seed: startSandbox rejects with it, the CLI prints it and exits 2. */
export class SeedError extends Error {
  override name = 'SeedError';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** A seed file larger than this is refused (a fixture set is kilobytes; /dev/zero is endless). */
export const MAX_SEED_BYTES = 16 * 1024 * 1024;
/** Deeper values are refused before anything recursive (validators, structuredClone) sees them. */
export const MAX_SEED_DEPTH = 64;

/** Reads at most MAX_SEED_BYTES + 1 bytes, so an endless or huge file fails fast. */
function readLimited(path: string, where: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(MAX_SEED_BYTES + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buffer, size, buffer.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > MAX_SEED_BYTES)
        throw new SeedError(
          `${where} is larger than ${MAX_SEED_BYTES / 1024 / 1024} MiB; a seed holds a few entities, pass a smaller JSON file.`,
        );
    }
    return new TextDecoder('utf-8').decode(buffer.subarray(0, size));
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a value nests deeper than `max`, found without recursion. A cycle (which only a seed
 * passed as an object can have) nests without end, so it is too deep too; an object used twice
 * without a cycle is fine. An object is walked again only when met deeper than before, so each
 * is walked at most `max` times, however much is shared.
 */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  const deepest = new Map<object, number>();
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    if ((deepest.get(v) ?? 0) >= depth) continue;
    deepest.set(v, depth);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function list(seed: Record<string, unknown>, name: string, where: string): Record<string, unknown>[] {
  const value = seed[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw new SeedError(`${where}: "${name}" must be an array of objects.`);
  }
  return value;
}

/** Reads and checks a seed; entities that the API returns are checked with the contract's own validators. */
export function loadSeed(seed: string | SandboxSeed): SandboxSeed {
  let where = 'seed';
  let raw: unknown = seed;
  if (typeof seed === 'string') {
    where = `seed file ${seed}`;
    let text: string;
    try {
      text = readLimited(seed, where);
    } catch (err) {
      if (err instanceof SeedError) throw err;
      throw new SeedError(
        `cannot read ${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Pass the path of a JSON file.`,
      );
    }
    // A UTF-8 byte order mark, as some Windows editors write, is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new SeedError(
        `${where} is not valid JSON (${(err as Error).message}). Fix the file and start again.`,
      );
    }
  }
  if (!isObject(raw))
    throw new SeedError(`${where} must be a JSON object such as {"leads": [{"msTenantId": "<uuid>"}]}.`);
  const known = ['replace', 'leads', 'sbcs', 'customers', 'ovocCustomers', 'tasks'];
  for (const k of Object.keys(raw)) {
    if (!known.includes(k))
      throw new SeedError(`${where}: unknown key "${k}"; the keys are ${known.join(', ')}.`);
  }
  if (raw.replace !== undefined && typeof raw.replace !== 'boolean')
    throw new SeedError(`${where}: "replace" must be true or false.`);
  for (const name of known.slice(1)) {
    list(raw, name, where).forEach((entry, i) => {
      if (depthExceeds(entry, MAX_SEED_DEPTH))
        throw new SeedError(
          `${where}: ${name}[${i}] is nested deeper than ${MAX_SEED_DEPTH} levels (or refers to itself); no entity of the API is.`,
        );
    });
  }

  list(raw, 'leads', where).forEach((l, i) => {
    if (typeof l.msTenantId !== 'string' || !UUID.test(l.msTenantId))
      throw new SeedError(`${where}: leads[${i}].msTenantId must be a uuid.`);
    for (const flag of ['active', 'converted']) {
      if (l[flag] !== undefined && typeof l[flag] !== 'boolean')
        throw new SeedError(`${where}: leads[${i}].${flag} must be true or false.`);
    }
  });
  list(raw, 'sbcs', where).forEach((s, i) => {
    const scripts = (v: unknown) => Array.isArray(v) && v.every(isId);
    if (!isId(s.id) || !scripts(s.onboardingScripts) || !scripts(s.cleanupScripts)) {
      throw new SeedError(
        `${where}: sbcs[${i}] must be {"id": 5, "onboardingScripts": [7], "cleanupScripts": [700]}.`,
      );
    }
  });
  list(raw, 'customers', where).forEach((c, i) => {
    const at = `${where}: customers[${i}]`;
    if (typeof c.id !== 'string' || !UUID.test(c.id)) throw new SeedError(`${at}.id must be a uuid.`);
    if (typeof c.shortName !== 'string' || c.shortName === '')
      throw new SeedError(`${at}.shortName must be a non-empty string.`);
    if (c.msTenantId != null && (typeof c.msTenantId !== 'string' || !UUID.test(c.msTenantId)))
      throw new SeedError(`${at}.msTenantId must be a uuid or null.`);
    if (c.fullName != null && typeof c.fullName !== 'string')
      throw new SeedError(`${at}.fullName must be a string or null.`);
    if (
      c.siteLocationIds !== undefined &&
      !(
        Array.isArray(c.siteLocationIds) &&
        c.siteLocationIds.every((s) => typeof s === 'string' && UUID.test(s))
      )
    ) {
      throw new SeedError(`${at}.siteLocationIds must be an array of uuids.`);
    }
    for (const n of ['sbcId', 'ovocCustomerId']) {
      if (c[n] != null && !isId(c[n])) throw new SeedError(`${at}.${n} must be a whole number or null.`);
    }
  });
  list(raw, 'ovocCustomers', where).forEach((o, i) => {
    const { issues } = validateResponseBody('verifyLcCustomer', 200, o);
    if (issues.length)
      throw new SeedError(
        `${where}: ovocCustomers[${i}] is not an OVOC customer as the contract defines it: ${issues[0]!.path} ${issues[0]!.message}.`,
      );
  });
  list(raw, 'tasks', where).forEach((t, i) => {
    const { issues } = validateResponseBody('getTask', 200, t);
    if (issues.length)
      throw new SeedError(
        `${where}: tasks[${i}] is not a Task as the contract defines it: ${issues[0]!.path} ${issues[0]!.message}.`,
      );
  });
  return raw as SandboxSeed;
}

/** The state a sandbox starts (and resets) to: the fixtures, then the seed. */
export function initialState(seed: SandboxSeed | undefined, limits?: StateLimits): SandboxState {
  const state = new SandboxState(limits);
  if (!seed?.replace) fixtures(state);
  if (!seed) return state;
  for (const s of seed.sbcs ?? [])
    state.sbcs.set(s.id, {
      id: s.id,
      onboardingScripts: [...s.onboardingScripts],
      cleanupScripts: [...s.cleanupScripts],
    });
  for (const o of seed.ovocCustomers ?? []) state.addOvocCustomer(structuredClone(o) as OvocCustomer);
  for (const l of seed.leads ?? []) state.addLead(l.msTenantId, l.active ?? true, l.converted ?? false);
  for (const c of seed.customers ?? []) {
    if (c.ovocCustomerId != null && !state.ovocCustomers.has(c.ovocCustomerId)) {
      throw new SeedError(
        `seed: customer ${c.id} names OVOC customer ${c.ovocCustomerId}, which is neither a fixture nor in "ovocCustomers".`,
      );
    }
    state.addCustomer({
      id: c.id.toLowerCase(),
      shortName: c.shortName,
      fullName: c.fullName ?? null,
      msTenantId: c.msTenantId ? c.msTenantId.toLowerCase() : null,
      siteLocationIds: c.siteLocationIds ?? [],
      sbcId: c.sbcId ?? null,
      source: 'seed',
      ovocCustomerId: c.ovocCustomerId ?? null,
      variables: Object.create(null) as Record<string, string>,
    });
  }
  for (const t of seed.tasks ?? []) state.addTask(storedTask(structuredClone(t) as Task, workflowOf(t.id)));
  return state;
}

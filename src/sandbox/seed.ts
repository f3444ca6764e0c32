import { closeSync, openSync, readSync } from 'node:fs';
import { matchRoute, UUID, validateResponseBody } from '../contract/index.js';
import { HarInputError, readRecording, type Recording } from '../har/read.js';
import type { OvocCustomer, Task } from '../types.js';
import type { StateLimits } from './limits.js';
import { fixtures, SandboxState, type SandboxSeed } from './state.js';
import { storedTask, workflowOf } from './tasks.js';
import { errorText } from '../internal/error-text.js';
import { errorCodeOrText } from '../internal/exchange.js';

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
      throw new SeedError(`cannot read ${where}: ${errorCodeOrText(err)}. Pass the path of a JSON file.`);
    }
    // A UTF-8 byte order mark, as some Windows editors write, is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new SeedError(`${where} is not valid JSON (${errorText(err)}). Fix the file and start again.`);
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

const asObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
};

/** The most of each entity a recording seeds (a recording is a session, not a database). */
export const MAX_SEEDED_FROM_RECORDING = 10_000;

/**
 * What a recording showed, as a seed: every task as Get Task last answered it, the OVOC customers
 * Verify LC Customer answered, the customers Create Essentials Customer created, the customers a
 * create-from-lead task converted (its request named them), and the leads those requests used.
 * Only 2xx answers count, and each entity is checked by loadSeed like any seed.
 */
export function seedFromRecording(recording: Recording): SandboxSeed {
  const tasks = new Map<string, Task>();
  const ovocCustomers = new Map<number, OvocCustomer>();
  const customers = new Map<string, NonNullable<SandboxSeed['customers']>[number]>();
  const leads = new Map<string, { msTenantId: string; active?: boolean; converted?: boolean }>();
  /** create-from-lead: the task id it answered, and what its request said about the customer. */
  const leadRequests = new Map<string, { shortName: string; fullName: string | null; msTenantId: string }>();
  const room = (m: Map<unknown, unknown>) => m.size < MAX_SEEDED_FROM_RECORDING;
  for (const e of recording.entries) {
    const res = e.response;
    if (!res || res.status < 200 || res.status >= 300 || res.incomplete) continue;
    const match = matchRoute(e.method, e.url.pathname.slice(Math.max(0, e.url.pathname.indexOf('/api/'))));
    if (match.kind !== 'operation') continue;
    const id = match.operation.operationId;
    const body = asObject(res.body);
    const request = e.requestBody === undefined ? undefined : asObject(e.requestBody);
    if (id === 'getTask' && body && validateResponseBody('getTask', 200, body).issues.length === 0) {
      const task = body as unknown as Task;
      if (tasks.has(task.id) || room(tasks)) tasks.set(task.id, task);
    } else if (
      id === 'verifyLcCustomer' &&
      body &&
      validateResponseBody('verifyLcCustomer', 200, body).issues.length === 0
    ) {
      const o = body as unknown as OvocCustomer & { id: number };
      if (ovocCustomers.has(o.id) || room(ovocCustomers)) ovocCustomers.set(o.id, o);
    } else if (
      id === 'createEssentialsCustomer' &&
      body &&
      request &&
      typeof body.id === 'string' &&
      UUID.test(body.id)
    ) {
      const shortName =
        typeof request.shortName === 'string' ? request.shortName : String(body.customerId ?? '');
      if (!shortName || !room(customers)) continue;
      const tenant =
        typeof request.msTenantId === 'string' && UUID.test(request.msTenantId) ? request.msTenantId : null;
      const sites = Array.isArray(body.siteLocationIds)
        ? body.siteLocationIds.filter((s) => typeof s === 'string' && UUID.test(s))
        : [];
      customers.set(body.id, {
        id: body.id,
        shortName,
        fullName: typeof request.fullName === 'string' ? request.fullName : null,
        msTenantId: tenant,
        siteLocationIds: sites as string[],
      });
    } else if (
      id === 'createCustomerFromLead' &&
      body &&
      request &&
      typeof request.msTenantId === 'string' &&
      UUID.test(request.msTenantId)
    ) {
      const taskId = body.taskId ?? body.jobId;
      if (typeof taskId === 'string' && typeof request.customerShortName === 'string' && room(leadRequests))
        leadRequests.set(taskId, {
          shortName: request.customerShortName,
          fullName: typeof request.customerFullName === 'string' ? request.customerFullName : null,
          msTenantId: request.msTenantId,
        });
    }
  }
  for (const [taskId, lead] of leadRequests) {
    const task = tasks.get(taskId);
    const details = task?.details ?? [];
    // A lead that was refused (ValidationFailed) was not there to convert: nothing is known of it.
    if (details.includes('ValidationFailed')) continue;
    const converted = details.includes('Converted') || details.includes('CustomerAlreadyConverted');
    if (room(leads) || leads.has(lead.msTenantId))
      leads.set(lead.msTenantId, { msTenantId: lead.msTenantId, converted });
    const guid = (task?.outputData as { umpCustomerGuid?: unknown } | undefined)?.umpCustomerGuid;
    if (details.includes('Converted') && typeof guid === 'string' && UUID.test(guid) && room(customers))
      customers.set(guid, {
        id: guid,
        shortName: lead.shortName,
        fullName: lead.fullName,
        msTenantId: lead.msTenantId,
      });
  }
  return {
    tasks: [...tasks.values()],
    ovocCustomers: [...ovocCustomers.values()],
    customers: [...customers.values()],
    leads: [...leads.values()],
  };
}

/** `sandbox --seed-har FILE`: the recording's entities as a seed, checked like a seed file. */
export function loadRecordingSeed(path: string): SandboxSeed {
  let recording: Recording;
  try {
    recording = readRecording(path);
  } catch (err) {
    if (err instanceof HarInputError) throw new SeedError(err.message);
    throw err;
  }
  return loadSeed(seedFromRecording(recording));
}

import { readFileCapped } from '../internal/read-file.js';
import { apiPath } from '../internal/routes.js';
import { matchRoute, UUID, validateResponseBody } from '../contract/index.js';
import { HarInputError, readRecording, type Recording } from '../har/read.js';
import type { OvocCustomer, Task } from '../types.js';
import type { StateLimits } from './limits.js';
import { fixtureSeed, SandboxState, type NewCustomer, type SandboxSeed } from './state.js';
import { storedTask } from './tasks.js';
import { is2xx } from '../internal/status.js';
import { errorText } from '../internal/error-text.js';
import { errorCodeOrText } from '../internal/exchange.js';
import { isJsonObject } from '../internal/json.js';
import { isWholeNumber } from '../internal/whole-number.js';

/** A mistake in a seed: startSandbox rejects with it, the CLI prints it and exits 2. */
export class SeedError extends Error {
  override name = 'SeedError';
}

const isId = (v: unknown) => isWholeNumber(v, 0, Number.MAX_SAFE_INTEGER);

/** A seed file larger than this is refused (a fixture set is kilobytes; /dev/zero is endless). */
const MAX_SEED_BYTES = 16 * 1024 * 1024;
/** Deeper values are refused before anything recursive (validators, structuredClone) sees them. */
const MAX_SEED_DEPTH = 64;

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

type Rule = [test: (v: unknown) => boolean, must: string];
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const uuid: Rule = [isUuid, 'a uuid'];
const bool: Rule = [(v) => v === undefined || typeof v === 'boolean', 'true or false'];
const ids: Rule = [(v) => Array.isArray(v) && v.every(isId), 'an array of whole numbers'];
const orNull = ([test, must]: Rule): Rule => [(v) => v == null || test(v), `${must} or null`];

/** What each member of a seeded entity must be (members not named here are ignored). */
const RULES: Record<string, Record<string, Rule>> = {
  leads: { msTenantId: uuid, active: bool, converted: bool },
  sbcs: { id: [isId, 'a whole number'], onboardingScripts: ids, cleanupScripts: ids },
  customers: {
    id: uuid,
    shortName: [(v) => typeof v === 'string' && v !== '', 'a non-empty string'],
    msTenantId: orNull(uuid),
    fullName: orNull([(v) => typeof v === 'string', 'a string']),
    siteLocationIds: [(v) => v === undefined || (Array.isArray(v) && v.every(isUuid)), 'an array of uuids'],
    sbcId: orNull([isId, 'a whole number']),
    ovocCustomerId: orNull([isId, 'a whole number']),
  },
};
/** The entities the API returns are checked with the contract's validator of the answer that does. */
const RETURNED: Record<string, [operationId: string, what: string]> = {
  ovocCustomers: ['verifyLcCustomer', 'an OVOC customer'],
  tasks: ['getTask', 'a Task'],
};
const KEYS = ['replace', ...Object.keys(RULES), ...Object.keys(RETURNED)];

/** Reads and checks a seed; entities that the API returns are checked with the contract's own validators. */
export function loadSeed(seed: string | SandboxSeed): SandboxSeed {
  let where = 'seed';
  let raw: unknown = seed;
  if (typeof seed === 'string') {
    where = `seed file ${seed}`;
    let text: string;
    try {
      text = readFileCapped(
        seed,
        MAX_SEED_BYTES,
        () =>
          new SeedError(
            `${where} is larger than ${MAX_SEED_BYTES / 1024 / 1024} MiB; a seed holds a few entities, pass a smaller JSON file.`,
          ),
      );
    } catch (err) {
      if (err instanceof SeedError) throw err;
      throw new SeedError(`cannot read ${where}: ${errorCodeOrText(err)}. Pass the path of a JSON file.`);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new SeedError(`${where} is not valid JSON (${errorText(err)}). Fix the file and start again.`);
    }
  }
  if (!isJsonObject(raw))
    throw new SeedError(`${where} must be a JSON object such as {"leads": [{"msTenantId": "<uuid>"}]}.`);
  for (const k of Object.keys(raw)) {
    if (!KEYS.includes(k))
      throw new SeedError(`${where}: unknown key "${k}"; the keys are ${KEYS.join(', ')}.`);
  }
  if (raw.replace !== undefined && typeof raw.replace !== 'boolean')
    throw new SeedError(`${where}: "replace" must be true or false.`);
  for (const name of KEYS.slice(1)) {
    const entries = raw[name] ?? [];
    if (!Array.isArray(entries) || !entries.every(isJsonObject))
      throw new SeedError(`${where}: "${name}" must be an array of objects.`);
    entries.forEach((entry, i) => {
      const at = `${where}: ${name}[${i}]`;
      if (depthExceeds(entry, MAX_SEED_DEPTH))
        throw new SeedError(
          `${at} is nested deeper than ${MAX_SEED_DEPTH} levels (or refers to itself); no entity of the API is.`,
        );
      for (const [member, [test, must]] of Object.entries(RULES[name] ?? {}))
        if (!test(entry[member])) throw new SeedError(`${at}.${member} must be ${must}.`);
      if (!RETURNED[name]) return;
      const [operationId, what] = RETURNED[name];
      const issue = validateResponseBody(operationId, 200, entry).issues[0];
      if (issue)
        throw new SeedError(
          `${at} is not ${what} as the contract defines it: ${issue.path} ${issue.message}.`,
        );
    });
  }
  return raw as SandboxSeed;
}

let fixtures: SandboxSeed | undefined;

/** The state a sandbox starts (and resets) to: the fixtures, then the seed. */
export function initialState(seed: SandboxSeed | undefined, limits?: StateLimits): SandboxState {
  const state = new SandboxState(limits);
  if (!seed?.replace) addSeed(state, (fixtures ??= fixtureSeed()), 'fixture');
  if (seed) addSeed(state, seed, 'seed');
  return state;
}

function addSeed(state: SandboxState, seed: SandboxSeed, source: 'fixture' | 'seed') {
  for (const { id, onboardingScripts, cleanupScripts } of seed.sbcs ?? [])
    state.sbcs.set(id, {
      id,
      onboardingScripts: [...onboardingScripts],
      cleanupScripts: [...cleanupScripts],
    });
  for (const o of seed.ovocCustomers ?? []) state.addOvocCustomer(structuredClone(o));
  for (const l of seed.leads ?? []) state.addLead(l.msTenantId, l.active ?? true, l.converted ?? false);
  for (const c of seed.customers ?? []) {
    if (c.ovocCustomerId != null && !state.ovocCustomers.has(c.ovocCustomerId)) {
      throw new SeedError(
        `seed: customer ${c.id} names OVOC customer ${c.ovocCustomerId}, which is neither a fixture nor in "ovocCustomers".`,
      );
    }
    state.addCustomer({ ...c, source });
  }
  for (const t of seed.tasks ?? []) state.addTask(storedTask(structuredClone(t)));
}

const asObject = (text: string | undefined): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(text ?? '');
    return isJsonObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
};

/** The most of each entity a recording seeds (a recording is a session, not a database). */
const MAX_SEEDED_FROM_RECORDING = 10_000;

/**
 * What a recording showed, as a seed: every task as Get Task last answered it, the OVOC customers
 * Verify LC Customer answered, the customers Create Essentials Customer created, the customers a
 * create-from-lead task converted (its request named them), and the leads those requests used.
 * Only 2xx answers count, and each entity is checked by loadSeed like any seed.
 */
export function seedFromRecording(recording: Recording): SandboxSeed {
  const tasks = new Map<string, Task>();
  const ovocCustomers = new Map<number, OvocCustomer>();
  const customers = new Map<string, NewCustomer>();
  const leads = new Map<string, { msTenantId: string; converted: boolean }>();
  /** create-from-lead: the task id it answered, and what its request said about the customer. */
  const leadRequests = new Map<string, { shortName: string; fullName: string | null; msTenantId: string }>();
  const put = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (map.has(key) || map.size < MAX_SEEDED_FROM_RECORDING) map.set(key, value);
  };
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  for (const e of recording.entries) {
    const res = e.response;
    if (!res || !is2xx(res.status) || res.incomplete) continue;
    const match = matchRoute(e.method, apiPath(e.url.pathname));
    const id = match.kind === 'operation' ? match.operation.operationId : undefined;
    const body = asObject(res.body);
    const request = asObject(e.requestBody);
    if (!body) continue;
    if (id === 'getTask' || id === 'verifyLcCustomer') {
      if (validateResponseBody(id, 200, body).issues.length) continue;
      if (id === 'getTask') put(tasks, body.id as string, body as unknown as Task);
      else put(ovocCustomers, body.id as number, body as unknown as OvocCustomer);
    } else if (id === 'createEssentialsCustomer' && request && isUuid(body.id)) {
      const shortName = text(request.shortName) ?? String(body.customerId ?? '');
      if (!shortName) continue;
      put(customers, body.id, {
        id: body.id,
        shortName,
        fullName: text(request.fullName),
        msTenantId: isUuid(request.msTenantId) ? request.msTenantId : null,
        siteLocationIds: Array.isArray(body.siteLocationIds) ? body.siteLocationIds.filter(isUuid) : [],
      });
    } else if (id === 'createCustomerFromLead' && request && isUuid(request.msTenantId)) {
      const taskId = body.taskId ?? body.jobId;
      const shortName = text(request.customerShortName);
      if (typeof taskId === 'string' && shortName !== null) {
        const fullName = text(request.customerFullName);
        put(leadRequests, taskId, { shortName, fullName, msTenantId: request.msTenantId });
      }
    }
  }
  for (const [taskId, lead] of leadRequests) {
    const task = tasks.get(taskId);
    const details = task?.details ?? [];
    // A lead that was refused (ValidationFailed) was not there to convert: nothing is known of it.
    if (details.includes('ValidationFailed')) continue;
    const converted = details.includes('Converted') || details.includes('CustomerAlreadyConverted');
    put(leads, lead.msTenantId, { msTenantId: lead.msTenantId, converted });
    const guid = (task?.outputData as { umpCustomerGuid?: unknown } | undefined)?.umpCustomerGuid;
    if (details.includes('Converted') && isUuid(guid)) put(customers, guid, { id: guid, ...lead });
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

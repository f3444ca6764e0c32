import { operations, type OperationInfo } from '../contract/index.js';
import { allCases, isWrite, type CheckCase } from './cases.js';
import { applyChecks, primaryCheck, skipped } from './checks.js';
import { isLenient } from './evidence.js';
import { SetupTally } from './diagnose.js';
import {
  assertReachable,
  fetchTransport,
  nodeTransport,
  send,
  wrongToken,
  type HttpTarget,
  type Sent,
} from './http.js';
import { createdBy, newRunPrefix, renameBody } from './names.js';
import { PhaseStopped, phaseSignal } from './stop.js';
import { normalizeBaseUrl } from '../internal/base-url.js';
import { numberOption } from '../internal/options.js';
import { untilAborted, type ExchangeObserver } from '../internal/exchange.js';
import { redactor } from '../internal/redact.js';
import { bareToken } from '../internal/token.js';
import type { CheckOutcome, CheckRequest, CreatedEntity, TargetKind, TargetReport } from './types.js';
import {
  DEFAULT_MAX_EXAMPLES,
  DEFAULT_MAX_FOLLOWED_TASKS,
  newSeed,
  runGenerated,
  type GeneratedSummary,
} from './fuzz/index.js';
import { is2xx } from '../internal/status.js';
import { outcomeOf } from '../internal/task-status.js';
import type { Task } from '../types.js';
import {
  checkWorkflows,
  followTask,
  runWorkflows,
  taskPollOperation,
  type TaskEnd,
  type WorkflowContext,
} from './arazzo.js';

export interface CheckTargetOptions {
  baseUrl: string;
  token: string;
  /** What the checker may assume about the server; anything it did not start itself is `live`. */
  kind?: TargetKind;
  /** The column title; defaults to the kind. */
  name?: string;
  /** Send writes (and run the workflows) against a `live` server. Embedded servers always allow them. */
  allowWrites?: boolean;
  maxResponseTimeMs?: number;
  /**
   * Fail negative cases whose broken rule rests on our own decision or an ASP.NET default when the
   * server accepts them, and answers that break only such response rules; by default both are
   * `lenient` warnings (src/check/evidence.ts).
   */
  strict?: boolean;
  /** Check one operation only. */
  only?: string;
  /** msTenantId of a lead the live workflow may convert. */
  leadTenantId?: string;
  fetch?: typeof fetch;
  /** Requests in flight at once (6). Peak memory grows with this times the 4 MiB response cap. */
  concurrency?: number;
  /** Hard limit per request, connect, headers and body together (10 000 ms). */
  requestTimeoutMs?: number;
  /** Poll interval: the cap of the backoff, and the least wait after 429/503 (2 000 ms live, 20 ms embedded). */
  pollIntervalMs?: number;
  /** Limit for following one task to its end, waits for 429/503 included (300 000 ms live). */
  taskTimeoutMs?: number;
  /** Run prefix for created names; random for every run by default, whatever the seed. */
  runPrefix?: string;
  /** Seed of the generated phase (random by default; printed in the report, and replays a run exactly). */
  seed?: number;
  /** Generated valid and invalid requests per operation (default DEFAULT_MAX_EXAMPLES). */
  maxExamples?: number;
  /**
   * Tasks started by generated writes that are followed to their end, per run (default
   * DEFAULT_MAX_FOLLOWED_TASKS against a live tenant, all of them on the sandbox); the others are
   * checked on the answer that started them.
   */
  maxFollowedTasks?: number;
  /** Run the generated phase (default true). */
  generate?: boolean;
  onProgress?: (progress: CheckProgress) => void;
  /**
   * Aborting stops the run within moments: no new request, the ones in flight dropped, and the
   * report of what completed is returned with `incomplete` saying so.
   */
  signal?: AbortSignal;
  /**
   * Sees every completed exchange (request, response, timings), redacted as the report keeps it:
   * the hook for a HAR recorder. What it throws is ignored.
   */
  onExchange?: ExchangeObserver;
  /** Deadline of each phase (DEFAULT_PHASE_TIMEOUT_MS); a phase that reaches it stops, `incomplete` says so. */
  phaseTimeoutMs?: number;
}

export interface CheckProgress {
  target: string;
  /** The operation of the case that just ended; absent in the first report, before any ended. */
  operationId?: string;
  done: number;
  total: number;
  failures: number;
}

/** The default per-request deadline: a few kB answered by any healthy server well within it. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The default deadline of each phase (the deterministic cases with the workflows, then the generated
 * cases with the sequences): a server the checker did not start may take minutes per task, one it
 * started ends its tasks in about 100 ms. A phase that reaches it stops, and the report says so.
 */
export const DEFAULT_PHASE_TIMEOUT_MS = { live: 1_800_000, embedded: 300_000 } as const;

/** Runs `work` on every item, `size` at a time, and takes no new item once `signal` aborted. */
async function pool<T>(items: T[], size: number, signal: AbortSignal, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

function skipReason(c: CheckCase, kind: TargetKind, writesAllowed: boolean): string | undefined {
  if (c.writes && !writesAllowed)
    return `not sent: ${c.request.method} ${c.operation.path} may write, and this server was not started by the checker; pass --allow-writes to send it`;
  // A stock ASP.NET server accepts such a body and acts on it: even --allow-writes does not risk that.
  if (c.writes && kind === 'live' && c.evidence && isLenient(c.evidence))
    return `not sent: the broken rule is our own decision, so a conforming server may accept the body and ${c.request.method} ${c.operation.path} would write`;
  if (c.kind === 'auth-wrong' && kind === 'mock')
    return 'Prism accepts any bearer token, so a wrong token cannot be checked against the mock';
}

/**
 * The cases sent first, whose answers tell a setup mistake (a refused token, a base URL that is
 * not the API root) from a broken server: the valid requests and the method probes, all with the
 * token. When they point at the setup, nothing else is sent.
 */
const isSetupProbe = (c: CheckCase) => c.kind === 'positive' || c.kind === 'method';

/** What a task's end says about the entity the write that started it was to create. */
function resultOf(final: TaskEnd | undefined): CreatedEntity['result'] {
  if (!final) return 'unknown';
  const outcome = outcomeOf(final as Pick<Task, 'status' | 'details'>);
  if (outcome === 'already-converted') return outcome;
  return outcome === 'converted' || outcome === 'succeeded' ? 'created' : 'failed';
}

/**
 * Checks one server against the contract: every case derived from the spec, every check on every
 * response, and the stateful workflows. Throws ConnectionError when nothing answers at baseUrl, and
 * a TypeError, before any request, for a token no HTTP header can carry.
 */
export async function checkTarget(options: CheckTargetOptions): Promise<TargetReport> {
  const started = performance.now();
  const kind = options.kind ?? 'live';
  const name = options.name ?? kind;
  const embedded = kind !== 'live';
  const writesAllowed = embedded || options.allowWrites === true;
  const seed = options.seed ?? newSeed();
  // A prefix of its own for every run, so that a replayed seed does not meet the names (and the
  // customers) of the run it replays; the seed replays everything else.
  const prefix = options.runPrefix ?? newRunPrefix();
  if (options.only && !operations.some((o) => o.operationId === options.only)) {
    throw new Error(`unknown operationId ${JSON.stringify(options.only)}`);
  }
  // A tenant's polls cost its quota; the servers this project runs end their tasks in moments.
  const maxFollowedTasks = Math.floor(
    numberOption(
      'checkTarget: maxFollowedTasks',
      options.maxFollowedTasks,
      embedded ? Infinity : DEFAULT_MAX_FOLLOWED_TASKS,
    ),
  );
  // Refused before any request, as the client refuses them, and never quoted (src/internal/).
  const baseUrl = normalizeBaseUrl(options.baseUrl, 'checkTarget: baseUrl');
  const token = bareToken(String(options.token ?? ''), 'checkTarget: token');
  const ownTransport = options.fetch ? undefined : nodeTransport();
  const http: HttpTarget = {
    baseUrl,
    token,
    transport: ownTransport ?? fetchTransport(options.fetch!),
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // The token as given and as sent: a server may echo either.
    redact: redactor([...new Set([options.token, token])]),
    ...(options.onExchange ? { observe: options.onExchange } : {}),
  };
  const phaseMs = options.phaseTimeoutMs ?? DEFAULT_PHASE_TIMEOUT_MS[embedded ? 'embedded' : 'live'];
  // The phase under way: every request and every wait of it ends when its signal aborts.
  let phase = phaseSignal('deterministic phase', phaseMs, options.signal);
  const outcomes: CheckOutcome[] = [];
  const created: CreatedEntity[] = [];
  /** The created entities whose task is followed, by task id: the task's end says what they are. */
  const byTask = new Map<string, CreatedEntity>();
  /** How each followed task ended (undefined: not cleanly), by task id. */
  const taskEnds = new Map<string, TaskEnd | undefined>();
  const badToken = wrongToken();
  let requests = 0;
  let failures = 0;
  let incomplete: string | undefined;
  const tally = new SetupTally();
  // Reasons can quote the server (an unknown task status, an unexpected property), so they are
  // redacted whole like bodies and headers.
  const record = (o: CheckOutcome) => {
    if (o.reason !== undefined) o.reason = http.redact(o.reason);
    outcomes.push(o);
    if (o.verdict === 'failed') failures++;
  };
  // `strict` for every exchange, not just the negative cases: an answer that breaks only our own
  // response rules is lenient too, and --strict fails it wherever it came from.
  const base = { targetKind: kind, maxResponseTimeMs: options.maxResponseTimeMs, strict: options.strict };
  const sendNow = (request: CheckRequest) => {
    requests++;
    return untilAborted(phase.signal, send(http, request, badToken));
  };
  // The id comes from the server, which may echo anything, the token included. A 2xx answer without
  // a task is a creation; one that started a task may exist until the task's end says what it was.
  const noteCreated = (operationId: string, names: string[], id?: string, isTask = false) => {
    // A workflow names at its end what its exchanges noted as they came: once is enough.
    if (id !== undefined && byTask.has(id)) return;
    const entity: CreatedEntity = {
      operationId,
      names,
      ...(id !== undefined ? { id: http.redact(id) } : {}),
      result:
        id !== undefined && taskEnds.has(id) ? resultOf(taskEnds.get(id)) : isTask ? 'unknown' : 'created',
    };
    created.push(entity);
    if (id !== undefined) byTask.set(id, entity);
  };
  /**
   * Sends one request of a case or a workflow step, applies every check to the answer, and notes at
   * once what a 2xx write created (so a run stopped before a workflow's end still lists it).
   */
  const judged = async (c: Pick<CheckCase, 'operation' | 'request' | 'name' | 'kind' | 'evidence'>) => {
    const sent = await sendNow(c.request);
    tally.note(c.kind, sent.exchange);
    const checkCtx = {
      ...base,
      operation: c.operation,
      caseName: c.name,
      kind: c.kind,
      evidence: c.evidence,
    };
    for (const o of applyChecks(checkCtx, sent.exchange, sent.json)) record(o);
    const status = sent.exchange.response?.status ?? 0;
    // A method probe's request is not the operation's: it creates nothing the contract knows.
    if (!isWrite(c.operation) || !is2xx(status) || c.kind === 'method') return { sent };
    const made = createdBy(c.operation, c.request.body, sent.json);
    noteCreated(c.operation.operationId, made.names, made.id, made.taskId !== undefined);
    return { sent, taskId: made.taskId };
  };
  const ctx: WorkflowContext = {
    http,
    targetKind: kind,
    writesAllowed,
    prefix,
    ...(options.leadTenantId ? { leadTenantId: options.leadTenantId } : {}),
    pollIntervalMs: options.pollIntervalMs ?? (embedded ? 20 : 2000),
    taskTimeoutMs: options.taskTimeoutMs ?? (embedded ? 15_000 : 300_000),
    get signal() {
      return phase.signal;
    },
    exchange: async (operation, request, name) =>
      (await judged({ operation, request, name, kind: 'workflow' })).sent,
    record,
    created: (operationId, names, id) => noteCreated(operationId, names, id),
    taskEnded(taskId, final) {
      taskEnds.set(taskId, final);
      const entity = byTask.get(taskId);
      if (entity) entity.result = resultOf(final);
    },
  };

  const cases = allCases({
    rename: (op, body) => renameBody(op, body, prefix),
    ...(options.only ? { only: options.only } : {}),
  });
  let done = 0;
  const progress = (operationId?: string) =>
    options.onProgress?.({ target: name, operationId, done, total: cases.length, failures });
  const followers: Promise<unknown>[] = [];
  const runCase = async (c: CheckCase) => {
    const reason = skipReason(c, kind, writesAllowed);
    if (reason) record(skipped(c.operation.operationId, primaryCheck(c.kind), c.name, reason));
    else {
      const { taskId } = await judged(c);
      // Every task a positive case starts on a stateful server is followed to its end too.
      if (taskId !== undefined && kind !== 'mock' && c.kind === 'positive')
        followers.push(followTask(ctx, taskId, `${c.name} (task)`));
    }
    done++;
    progress(c.operation.operationId);
  };
  const concurrency = options.concurrency ?? 6;
  /** Waits for all of `work`: a PhaseStopped is the expected end of a stopped phase, `incomplete` says so. */
  const settle = async (...work: Promise<unknown>[]) => {
    for (const s of await Promise.allSettled(work)) {
      if (s.status === 'fulfilled') continue;
      if (!(s.reason instanceof PhaseStopped)) throw s.reason;
      incomplete ??= s.reason.message;
    }
  };

  let generated: GeneratedSummary | undefined;
  try {
    await untilAborted(phase.signal, assertReachable(http));
    progress();
    // The setup probe first: a refused token or a wrong base URL stops the run before anything else.
    await settle(pool(cases.filter(isSetupProbe), concurrency, phase.signal, runCase));
    const early = tally.diagnose(options.baseUrl);
    if (!early) {
      const workflows = checkWorkflows(options.only).length ? runWorkflows(ctx, options.only) : undefined;
      const rest = cases.filter((c) => !isSetupProbe(c));
      await settle(workflows ?? Promise.resolve(), pool(rest, concurrency, phase.signal, runCase));
    }
    await settle(...followers);
    incomplete ??= phase.end();
    if (!early && options.generate !== false && !options.signal?.aborted) {
      phase = phaseSignal('generated phase', phaseMs, options.signal);
      await settle(
        runGenerated({
          ...ctx,
          signal: phase.signal,
          seed,
          maxExamples: options.maxExamples ?? DEFAULT_MAX_EXAMPLES,
          maxFollowedTasks,
          ...(options.only ? { only: options.only } : {}),
          tasksBroken: outcomes.some((o) => o.check === 'task_lifecycle' && o.verdict === 'failed'),
          ...base,
          send: sendNow,
        }).then((summary) => (generated = summary)),
      );
      incomplete ??= phase.end();
    }
    const poll = taskPollOperation();
    if (
      !early &&
      poll &&
      !incomplete &&
      (!options.only || options.only === poll.operationId) &&
      !outcomes.some((o) => o.check === 'task_lifecycle')
    ) {
      const why = 'no task was started on this server, so there was nothing to follow';
      record(skipped(poll.operationId, 'task_lifecycle', 'workflows', why));
    }
    const setupProblem = early ?? tally.diagnose(options.baseUrl);
    return {
      target: { name, kind, url: options.baseUrl },
      runPrefix: prefix,
      // A setup problem the probes found judges nothing: the failures would blame the server for it.
      outcomes: early ? [] : outcomes.filter((o) => !options.only || o.operationId === options.only),
      created: kind === 'mock' ? [] : created,
      requests,
      durationMs: Math.round(performance.now() - started),
      ...(setupProblem ? { setupProblem: http.redact(setupProblem) } : {}),
      ...(generated ? { generated } : {}),
      ...(incomplete ? { incomplete } : {}),
    };
  } finally {
    phase.end();
    // Also ends the requests of a stopped phase still in flight: their sockets are destroyed.
    ownTransport?.close();
  }
}

import { operations, type OperationInfo } from '../contract/index.js';
import { allCases, type CheckCase } from './cases.js';
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
import { namesIn, newRunPrefix, renameBody } from './names.js';
import { normalizeBaseUrl } from '../internal/base-url.js';
import type { ExchangeObserver } from '../internal/exchange.js';
import { redactor } from '../internal/redact.js';
import { bareToken } from '../internal/token.js';
import type {
  CheckOutcome,
  CheckRequest,
  CreatedEntity,
  Exchange,
  TargetKind,
  TargetReport,
} from './types.js';
import { DEFAULT_MAX_EXAMPLES, newSeed, prefixFromSeed, runGenerated } from './fuzz/index.js';
import { readTaskId } from '../internal/task-status.js';
import {
  checkWorkflows,
  followTask,
  runWorkflows,
  taskPollOperation,
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
   * server accepts them; by default they are `lenient` warnings (src/check/evidence.ts).
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
  /** Run prefix for created names; random by default. */
  runPrefix?: string;
  /** Seed of the generated phase (random by default; printed in the report, and replays a run exactly). */
  seed?: number;
  /** Generated valid and invalid requests per operation (default DEFAULT_MAX_EXAMPLES). */
  maxExamples?: number;
  /** Run the generated phase (default true). */
  generate?: boolean;
  onProgress?: (progress: CheckProgress) => void;
  /**
   * Sees every completed exchange (request, response, timings), redacted as the report keeps it:
   * the hook for a HAR recorder. What it throws is ignored.
   */
  onExchange?: ExchangeObserver;
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

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

function skipReason(c: CheckCase, kind: TargetKind, writesAllowed: boolean): string | undefined {
  if (c.writes && !writesAllowed) {
    return `not sent: ${c.request.method} ${c.operation.path} may write, and this server was not started by the checker; pass --allow-writes to send it`;
  }
  // A stock ASP.NET server accepts such a body and acts on it: even --allow-writes does not risk that.
  if (c.writes && kind === 'live' && c.evidence && isLenient(c.evidence)) {
    return `not sent: the broken rule is our own decision, so a conforming server may accept the body and ${c.request.method} ${c.operation.path} would write`;
  }
  if (c.kind === 'auth-wrong' && kind === 'mock') {
    return 'Prism accepts any bearer token, so a wrong token cannot be checked against the mock';
  }
  return undefined;
}

/**
 * Checks one server against the contract: every case derived from the spec, every check on every
 * response, and the stateful workflows. Throws ConnectionError when nothing answers at baseUrl.
 */
export async function checkTarget(options: CheckTargetOptions): Promise<TargetReport> {
  const kind = options.kind ?? 'live';
  const name = options.name ?? kind;
  const embedded = kind !== 'live';
  const writesAllowed = embedded || options.allowWrites === true;
  // The run prefix follows the seed, so a replayed seed sends the same names.
  const seed = options.seed ?? newSeed();
  const prefix = options.runPrefix ?? (options.generate === false ? newRunPrefix() : prefixFromSeed(seed));
  if (options.only && !operations.some((o) => o.operationId === options.only)) {
    throw new Error(`unknown operationId ${JSON.stringify(options.only)}`);
  }
  // Refused before any request, as the client refuses them, and never quoted (src/internal/).
  const baseUrl = normalizeBaseUrl(options.baseUrl, 'checkTarget: baseUrl');
  const token = bareToken(String(options.token ?? ''), 'checkTarget: token');
  const ownTransport = options.fetch ? undefined : nodeTransport();
  try {
    return await checkWith({ ...options, seed }, kind, name, prefix, writesAllowed, {
      baseUrl,
      token,
      transport: ownTransport ?? fetchTransport(options.fetch!),
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // The token as given and as sent: a server may echo either.
      redact: redactor([...new Set([options.token, token])]),
      ...(options.onExchange ? { observe: options.onExchange } : {}),
    });
  } finally {
    ownTransport?.close();
  }
}

async function checkWith(
  options: CheckTargetOptions,
  kind: TargetKind,
  name: string,
  prefix: string,
  writesAllowed: boolean,
  http: HttpTarget,
): Promise<TargetReport> {
  const started = performance.now();
  const embedded = kind !== 'live';
  await assertReachable(http);

  const outcomes: CheckOutcome[] = [];
  const created: CreatedEntity[] = [];
  const badToken = wrongToken();
  let requests = 0;
  let failures = 0;
  const tally = new SetupTally();
  // Reasons can quote the server (an unknown task status, an unexpected property), so they are
  // redacted whole like bodies and headers.
  const record = (o: CheckOutcome) => {
    if (o.reason !== undefined) o.reason = http.redact(o.reason);
    outcomes.push(o);
    if (o.verdict === 'failed') failures++;
  };
  const base = {
    targetKind: kind,
    ...(options.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: options.maxResponseTimeMs } : {}),
  };
  const exchange = async (
    operation: OperationInfo,
    request: CheckRequest,
    caseName: string,
  ): Promise<Sent> => {
    requests++;
    const sent = await send(http, request, badToken);
    tally.note('workflow', sent.exchange);
    for (const o of applyChecks({ ...base, operation, caseName, kind: 'workflow' }, sent.exchange, sent.json))
      record(o);
    return sent;
  };
  // The id comes from the server, which may echo anything, the token included.
  const noteCreated = (operationId: string, names: string[], id?: string) =>
    created.push({ operationId, names, ...(id !== undefined ? { id: http.redact(id) } : {}) });

  const ctx: WorkflowContext = {
    http,
    targetKind: kind,
    writesAllowed,
    prefix,
    ...(options.leadTenantId ? { leadTenantId: options.leadTenantId } : {}),
    pollIntervalMs: options.pollIntervalMs ?? (embedded ? 20 : 2000),
    taskTimeoutMs: options.taskTimeoutMs ?? (embedded ? 15_000 : 300_000),
    exchange,
    record,
    created: noteCreated,
  };

  const cases = allCases({
    rename: (op, body) => renameBody(op, body, prefix),
    ...(options.only ? { only: options.only } : {}),
  });
  let done = 0;
  const progress = (operationId?: string) =>
    options.onProgress?.({
      target: name,
      ...(operationId ? { operationId } : {}),
      done,
      total: cases.length,
      failures,
    });
  progress();
  const followers: Promise<unknown>[] = [];
  const workflows = checkWorkflows(options.only).length ? runWorkflows(ctx, options.only) : Promise.resolve();

  await pool(cases, options.concurrency ?? 6, async (c) => {
    const reason = skipReason(c, kind, writesAllowed);
    if (reason) record(skipped(c.operation.operationId, primaryCheck(c.kind), c.name, reason));
    else {
      requests++;
      const { exchange: ex, json } = await send(http, c.request, badToken);
      tally.note(c.kind, ex);
      const checkCtx = {
        ...base,
        operation: c.operation,
        caseName: c.name,
        kind: c.kind,
        ...(c.evidence ? { evidence: c.evidence } : {}),
        ...(options.strict ? { strict: true } : {}),
      };
      for (const o of applyChecks(checkCtx, ex, json)) record(o);
      const res = ex.response;
      if (c.writes && res && res.status >= 200 && res.status < 300 && c.kind !== 'method') {
        const taskId = readTaskId(json);
        const id = taskId ?? (json as { id?: unknown } | undefined)?.id;
        noteCreated(
          c.operation.operationId,
          [...new Set(namesIn(c.operation, c.request.body))],
          typeof id === 'string' ? id : undefined,
        );
        // Every task a positive case starts on a stateful server is followed to its end too.
        if (taskId && kind !== 'mock' && c.kind === 'positive')
          followers.push(followTask(ctx, taskId, `${c.name} (task)`));
      }
    }
    done++;
    progress(c.operation.operationId);
  });
  await Promise.all([workflows, ...followers]);
  const generated =
    options.generate === false
      ? undefined
      : await runGenerated({
          ...ctx,
          seed: options.seed!,
          maxExamples: options.maxExamples ?? DEFAULT_MAX_EXAMPLES,
          ...(options.only ? { only: options.only } : {}),
          tasksBroken: outcomes.some((o) => o.check === 'task_lifecycle' && o.verdict === 'failed'),
          ...(options.strict ? { strict: true } : {}),
          ...base,
          send: (r) => (requests++, send(http, r, badToken)),
        });
  const poll = taskPollOperation();
  if (
    poll &&
    (!options.only || options.only === poll.operationId) &&
    !outcomes.some((o) => o.check === 'task_lifecycle')
  ) {
    record(
      skipped(
        poll.operationId,
        'task_lifecycle',
        'workflows',
        'no task was started on this server, so there was nothing to follow',
      ),
    );
  }

  const onlyOp = (o: CheckOutcome) => !options.only || o.operationId === options.only;
  return {
    target: { name, kind, url: options.baseUrl },
    runPrefix: prefix,
    outcomes: outcomes.filter(onlyOp),
    created: kind === 'mock' ? [] : created,
    requests,
    durationMs: Math.round(performance.now() - started),
    ...setupProblemOf(tally, options.baseUrl, http),
    ...(generated ? { generated } : {}),
  };
}

function setupProblemOf(tally: SetupTally, baseUrl: string, http: HttpTarget): { setupProblem?: string } {
  const problem = tally.diagnose(baseUrl);
  return problem ? { setupProblem: http.redact(problem) } : {};
}

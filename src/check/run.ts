import { operations, type OperationInfo } from '../contract/index.js';
import { allCases, type CheckCase } from './cases.js';
import { applyChecks, primaryCheck, skipped } from './checks.js';
import { assertReachable, fetchTransport, nodeTransport, send, wrongToken, type HttpTarget } from './http.js';
import { namesIn, newRunPrefix, renameBody } from './names.js';
import type {
  CheckOutcome,
  CheckRequest,
  CreatedEntity,
  Exchange,
  TargetKind,
  TargetReport,
} from './types.js';
import { DEFAULT_MAX_EXAMPLES, newSeed, prefixFromSeed, runGenerated } from './fuzz/index.js';
import { followTask, runWorkflows, taskIdOf, type WorkflowContext } from './workflows.js';

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
  /** Check one operation only. */
  only?: string;
  /** msTenantId of a lead the live workflow may convert. */
  leadTenantId?: string;
  fetch?: typeof fetch;
  /** Requests in flight at once. */
  concurrency?: number;
  requestTimeoutMs?: number;
  pollIntervalMs?: number;
  taskTimeoutMs?: number;
  /** Run prefix for created names; random by default. */
  runPrefix?: string;
  /** Seed of the generated phase (random by default; printed in the report, and replays a run exactly). */
  seed?: number;
  /** Generated valid and invalid requests per operation (default DEFAULT_MAX_EXAMPLES). */
  maxExamples?: number;
  /** Run the generated phase (default true). */
  generate?: boolean;
  onProgress?: (progress: { target: string; done: number; total: number; failures: number }) => void;
}

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
  const ownTransport = options.fetch ? undefined : nodeTransport();
  try {
    return await checkWith({ ...options, seed }, kind, name, prefix, writesAllowed, {
      baseUrl: options.baseUrl,
      token: options.token,
      transport: ownTransport ?? fetchTransport(options.fetch!),
      timeoutMs: options.requestTimeoutMs ?? (embedded ? 10_000 : 30_000),
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
  const record = (o: CheckOutcome) => {
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
  ): Promise<Exchange> => {
    requests++;
    const ex = await send(http, request, badToken);
    for (const o of applyChecks({ ...base, operation, caseName, kind: 'workflow' }, ex)) record(o);
    return ex;
  };
  const noteCreated = (operationId: string, names: string[], id?: string) =>
    created.push({ operationId, names, ...(id !== undefined ? { id } : {}) });

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
  const progress = () => options.onProgress?.({ target: name, done, total: cases.length, failures });
  const followers: Promise<unknown>[] = [];
  const workflows =
    options.only && !['createCustomerFromLead', 'createEssentialsCustomer', 'getTask'].includes(options.only)
      ? Promise.resolve()
      : runWorkflows(ctx);

  await pool(cases, options.concurrency ?? 6, async (c) => {
    const reason = skipReason(c, kind, writesAllowed);
    if (reason) record(skipped(c.operation.operationId, primaryCheck(c.kind), c.name, reason));
    else {
      requests++;
      const ex = await send(http, c.request, badToken);
      for (const o of applyChecks({ ...base, operation: c.operation, caseName: c.name, kind: c.kind }, ex))
        record(o);
      const res = ex.response;
      if (c.writes && res && res.status >= 200 && res.status < 300 && c.kind !== 'method') {
        const taskId = taskIdOf(res.json);
        const id = taskId ?? (res.json as { id?: unknown } | undefined)?.id;
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
    progress();
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
          ...base,
          send: (r) => (requests++, send(http, r, badToken)),
        });
  const lifecycleInScope = !options.only || options.only === 'getTask';
  if (
    lifecycleInScope &&
    operations.some((o) => o.operationId === 'getTask') &&
    !outcomes.some((o) => o.check === 'task_lifecycle')
  ) {
    record(
      skipped(
        'getTask',
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
    ...(generated ? { generated } : {}),
  };
}

import createClient, { createQuerySerializer, type Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { normalizeBaseUrl as normalizedBaseUrl } from '../internal/base-url.js';
import { ACCEPT_JSON } from '../internal/media-type.js';
import { expandPath } from '../internal/path-params.js';
import { bareToken } from '../internal/token.js';
import { TaskPoller, taskIdFromSerialized, type WaitOptions } from '../tasks/poller.js';
import type {
  CreateCustomerFromLeadRequest,
  ImportCustomerRequest,
  LeadConversionTask,
  SucceededTask,
  Task,
} from '../types.js';
import { assertTokenSource, withReauth, type TokenSource } from './auth.js';
import { operationIdOf } from './errors.js';
import { httpPollTask, readTask, startTask, type ResultCheck } from './task-requests.js';
import { createTransport, LightRequest, type RetryOptions } from './transport.js';
import { validateResult } from './validate.js';

export interface LivePlatformClientOptions {
  /** The tenant's base URL (the vendor's `{{baseUrl}}`), e.g. https://live.example.com. */
  baseUrl: string;
  /**
   * Bearer token, or an (async) function that returns a fresh one (called before every request; see
   * clientCredentials()). With a function, a request refused with 401 `invalid_token` is sent once
   * more after calling it with `{ forceRefresh: true }`.
   */
  token: TokenSource;
  /** A fetch implementation; defaults to the global fetch. Inject one in tests. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** Retries of 429, 502, 503, 504 and failed connections (see RetryOptions); `false` turns them off. */
  retry?: RetryOptions | false;
  /**
   * Per-attempt timeout in ms, combined with the caller's signal; a GET that times out is retried.
   * Default 0 (none): the signal it needs costs undici about a tenth of a loopback call, and the
   * task poller's deadline bounds its own requests anyway. 30000 suits most callers.
   */
  timeoutMs?: number;
  /** Checks every 2xx body against the contract; a mismatch throws ResponseValidationError. Default false. */
  validateResponses?: boolean;
  /**
   * The most bytes of one response body, counted after decompression; past it the call rejects with
   * ResponseTooLargeError and the download stops. Default 4 MiB (the contract's answers are a few kB).
   */
  maxResponseBytes?: number;
}

export type LivePlatformHttpClient = Client<paths, `${string}/${string}`>;

/** Options of one call. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The import body (Import Customer's request). */
export type ImportCustomerBody = ImportCustomerRequest;

/**
 * The openapi-fetch client typed by the contract (`lp.GET`, `lp.PUT`, `lp.POST` return
 * `{ data, error, response }`), with the task poller and helpers that throw LivePlatformError.
 */
export interface LivePlatformClient extends LivePlatformHttpClient {
  tasks: {
    /** Polls a task until it is terminal: resolves to the task, or throws TaskFailedError / TaskTimeoutError. */
    wait(taskId: string, options?: WaitOptions): Promise<Task>;
    /** A poller for a task that is already running (the first poll is immediate). */
    poller(taskId: string, options?: WaitOptions): TaskPoller;
  };
  /** Get Task: the task's current state; a 2xx that is not a task rejects with UnexpectedResponseError. */
  getTask(taskId: string, options?: CallOptions): Promise<Task>;
  /**
   * Starts a conversion of a tenant's lead; returns its poller at once. `options.signal` also stops
   * the start. Awaited, it gives the succeeded task with `outputData.umpCustomerGuid` typed (a
   * failure throws TaskFailedError); with `throwOnFailure: false`, any task.
   */
  beginCreateCustomerFromLead(
    body: CreateCustomerFromLeadRequest,
    options?: WaitOptions & { throwOnFailure?: true },
  ): TaskPoller<LeadConversionTask>;
  beginCreateCustomerFromLead(body: CreateCustomerFromLeadRequest, options: WaitOptions): TaskPoller;
  /** Starts an import from OVOC; returns its poller at once. Awaited, the succeeded task (`outputData` is `{}`). */
  beginImportCustomer(
    customerGuid: string,
    body: ImportCustomerBody,
    options?: WaitOptions & { throwOnFailure?: true },
  ): TaskPoller<SucceededTask>;
  beginImportCustomer(customerGuid: string, body: ImportCustomerBody, options: WaitOptions): TaskPoller;
}

/**
 * The base URL without a trailing slash (src/internal/base-url.ts): an absolute http(s) URL without
 * user-info, query or fragment. Throws a TypeError that says what to write, never quoting the URL.
 */
export function normalizeBaseUrl(baseUrl: unknown): string {
  return normalizedBaseUrl(baseUrl, 'createLivePlatformClient: baseUrl');
}

/**
 * A client for the Live Platform API: openapi-fetch typed by the contract, with bearer auth,
 * retries, per-attempt timeouts, the task poller and, opt-in, response validation.
 */
export function createLivePlatformClient(options: LivePlatformClientOptions): LivePlatformClient {
  assertTokenSource(options?.token);
  const { token } = options;
  const transport = createTransport(options);
  const lp = createClient<paths>({
    baseUrl: normalizeBaseUrl(options.baseUrl),
    Request: LightRequest as unknown as typeof Request,
    // Built once: given none, openapi-fetch builds one per call.
    querySerializer: createQuerySerializer(),
    // The contract's path parameters are all `simple` primitives: one replace, each value one segment.
    pathSerializer: (path, params) =>
      expandPath(
        path,
        (name) => params[name],
        () => operationIdOf(undefined, path) ?? path,
      ),
    // withReauth also repeats a request once on invalid_token.
    fetch: (typeof token === 'function' ? withReauth(transport, token) : transport) as (
      input: Request,
    ) => Promise<Response>,
    headers: {
      // Without it undici sends */*, and ASP.NET answers a string result as text/plain; problem+json
      // too, or a strict server (Prism) answers a declared error status with something else.
      Accept: ACCEPT_JSON,
      ...options.headers,
      // A fixed token is a default header: no per-request work.
      ...(typeof token === 'string' && {
        Authorization: `Bearer ${bareToken(token, 'createLivePlatformClient: token')}`,
      }),
    },
  }) as LivePlatformClient;

  // Text reads are not validated here: the poller and the starts parse them and check the result.
  const check = (method: string, path: string): ResultCheck | undefined =>
    options.validateResponses ? (result) => validateResult(operationIdOf(method, path), result) : undefined;
  if (options.validateResponses) {
    for (const method of ['GET', 'PUT', 'POST'] as const) {
      const send = lp[method] as (
        path: string,
        init?: { parseAs?: string },
      ) => Promise<{ data?: unknown; response: Response }>;
      (lp as unknown as Record<string, unknown>)[method] = (path: string, init?: { parseAs?: string }) =>
        init?.parseAs === 'text' ? send(path, init) : send(path, init).then(check(method, path));
    }
  }

  const checkTask = check('GET', '/api/v2/task/{taskId}');
  const poll = httpPollTask(lp, checkTask);
  lp.tasks = {
    poller: (taskId, o) => new TaskPoller(poll, taskId, o),
    wait: (taskId, o) => new TaskPoller(poll, taskId, o).pollUntilDone(),
  };
  lp.getTask = (taskId, o) => readTask(lp, taskId, o?.signal, checkTask);
  // One implementation under the overloads: the options decide only what `await` may give.
  const begin = (path: string, send: (init: StartInit) => Promise<{ response: Response }>, o?: WaitOptions) =>
    new TaskPoller(poll, startTask(send({ signal: o?.signal, parseAs: 'text' }), check('POST', path)), o);
  lp.beginCreateCustomerFromLead = ((body: CreateCustomerFromLeadRequest, o?: WaitOptions) =>
    begin(
      '/api/v3/customer',
      (init) => lp.POST('/api/v3/customer', { body, ...init }),
      o,
    )) as LivePlatformClient['beginCreateCustomerFromLead'];
  const importPath = '/api/v2/customer/{customerGuid}/action/ovocimport';
  lp.beginImportCustomer = ((customerGuid: string, body: ImportCustomerBody, o?: WaitOptions) =>
    begin(
      importPath,
      (init) =>
        lp.POST(importPath, {
          params: { path: { customerGuid } },
          // The documented default, sent so the request means the same on any server version.
          body: { allowSbcIdUpdateForOvoc: false, ...body },
          ...init,
        }),
      o,
    )) as LivePlatformClient['beginImportCustomer'];
  return lp;
}

type StartInit = { signal: AbortSignal | undefined; parseAs: 'text' };

/**
 * A poller for a task another process started: `resumeTask(lp, poller.serialize())`. The first poll
 * is immediate; `options` (deadline, intervals) start afresh.
 */
export function resumeTask(lp: LivePlatformClient, serialized: string, options?: WaitOptions): TaskPoller {
  return lp.tasks.poller(taskIdFromSerialized(serialized), options);
}

// A small server that honours the contract, so that each broken server in this folder differs from
// it by one defect. It answers the vendor's examples from the spec and keeps just enough state for
// the workflows: customers by short name and tenant, converted leads, tasks that finish.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  coerceParams,
  matchRoute,
  specExample,
  validateParams,
  validateRequestBody,
  type RouteMatch,
} from '../../../src/contract/index.js';

export const GOOD_TOKEN = 'conforming-token';
export const LEAD_TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

export interface Task {
  id: string;
  createdAt: number;
  outcome: string;
  polls: number;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  route: RouteMatch;
  body: unknown;
  operationId?: string;
  send(status: number, body: unknown, headers?: Record<string, string>): void;
}

export interface ConformingOptions {
  token?: string;
  taskDurationMs?: number;
  /** Runs before the conforming behaviour; answer with ctx.send and return true to replace it. */
  override?: (ctx: Ctx) => boolean | Promise<boolean>;
  /** Rewrites a task as it is about to be sent (after the conforming rules chose it). */
  taskView?: (task: Record<string, unknown>, state: Task) => Record<string, unknown>;
  /** Skip request-body validation (the server then accepts anything it can parse). */
  acceptInvalid?: (operationId: string) => boolean;
  /** Do not refuse duplicate short names. */
  allowDuplicates?: boolean;
  /** Convert the same lead again and again. */
  forgetConversions?: boolean;
  /** Request-body issues the server lets through (ASP.NET ignores unknown members by default). */
  tolerate?: (issue: { keyword?: string }) => boolean;
  /**
   * Answer as a stock ASP.NET Core service may where the vendor is silent (issue 12): an empty 401
   * with WWW-Authenticate and an empty 405 with Allow, the import's id as text/plain, `{jobId}` for
   * the lead start, an extra member on every response object, `$.`-style `errors` keys.
   */
  aspnet?: boolean;
}

/** An extra member on every object of a response body, except inside maps (`errors`, `services`). */
function withExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtras);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { aspNetExtra: 'x' };
  for (const [k, v] of Object.entries(value)) out[k] = k === 'errors' || k === 'services' ? v : withExtras(v);
  return out;
}

/**
 * Answers the authenticated read of the vendor's OVOC customer 85844 with `answer` instead of the
 * conforming body: the one exchange the content and schema servers break.
 */
export const startWithBrokenCustomer85844 = (answer: (res: ServerResponse) => void) =>
  startConforming({
    override: ({ route, req, res }) => {
      if (route.kind !== 'operation' || route.operation.operationId !== 'verifyLcCustomer') return false;
      if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}` || route.pathParams.id !== '85844')
        return false;
      answer(res);
      return true;
    },
  });

export interface RunningTestServer {
  url: string;
  /** Every request line received, e.g. `POST /api/v2/customer`. */
  received: string[];
  close(): Promise<void>;
}

const problem = (status: number, title: string, detail?: string) => ({
  type: 'about:blank',
  title,
  status,
  ...(detail ? { detail } : {}),
});

/** A 400 as ASP.NET writes it: the `errors` map the spec requires, keyed by pointer or JSON path. */
const badRequest = (issues: { path: string; message: string }[], jsonPaths = false) => ({
  ...problem(400, 'One or more validation errors occurred.'),
  errors: Object.fromEntries(
    issues.map((i) => [
      jsonPaths ? `$${i.path === '/' ? '' : i.path.replace(/\//g, '.')}` : i.path,
      [i.message],
    ]),
  ),
});

export async function startConforming(options: ConformingOptions = {}): Promise<RunningTestServer> {
  const token = options.token ?? GOOD_TOKEN;
  const duration = options.taskDurationMs ?? 40;
  const customers = new Set<string>();
  const converted = new Set<string>();
  const tasks = new Map<string, Task>();
  const received: string[] = [];
  let importSeq = 185510;

  const newTask = (id: string, outcome: string) => {
    tasks.set(id, { id, createdAt: Date.now(), outcome, polls: 0 });
    return id;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    received.push(`${req.method} ${url.pathname}`);
    const aspnet = options.aspnet === true;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (aspnet && (status === 401 || status === 405)) {
        // JwtBearer and endpoint routing write no body, only the header.
        res.writeHead(status, headers);
        res.end();
        return;
      }
      const json = status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(status, { 'content-type': json, ...headers });
      res.end(body === undefined ? '' : JSON.stringify(aspnet ? withExtras(body) : body));
    };
    const route = matchRoute(req.method ?? 'GET', url.pathname);
    let body: unknown;
    let parsed = true;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        parsed = false;
      }
    }
    const ctx: Ctx = {
      req,
      res,
      route,
      body,
      send,
      ...(route.kind === 'operation' ? { operationId: route.operation.operationId } : {}),
    };
    if (options.override && (await options.override(ctx))) return;
    if (route.kind === 'not-found') return send(404, problem(404, 'Not Found'));
    if (route.kind === 'method-not-allowed')
      return send(405, problem(405, 'Method Not Allowed'), { allow: route.allow.join(', ') });
    const op = route.operation;
    const auth = req.headers.authorization;
    if (!auth) return send(401, problem(401, 'Unauthorized'), { 'www-authenticate': 'Bearer' });
    if (auth !== `Bearer ${token}`) {
      return send(401, problem(401, 'Unauthorized'), { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const paramIssues = validateParams(op, coerceParams(op, route.pathParams));
    if (paramIssues.length) return send(400, badRequest(paramIssues, aspnet));
    if (op.requestBody && !options.acceptInvalid?.(op.operationId)) {
      if (!parsed) return send(400, badRequest([{ path: '/', message: 'malformed JSON' }], aspnet));
      const issues = validateRequestBody(op, body).filter((i) => !options.tolerate?.(i));
      if (issues.length) return send(400, badRequest(issues, aspnet));
    }
    const b = (body ?? {}) as Record<string, string>;
    switch (op.operationId) {
      case 'importCustomerFromOvoc': {
        const id = newTask(`tsk_${++importSeq}`, 'TaskImportCompleted');
        if (!aspnet) return send(200, id);
        // ASP.NET writes a string result unquoted as text/plain unless Accept asks for JSON first.
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(id);
        return;
      }
      case 'createEssentialsCustomer': {
        const key = `${b.shortName}|${b.msTenantId}`;
        if (customers.has(key) && !options.allowDuplicates)
          return send(409, problem(409, 'Conflict', 'short name in use'));
        customers.add(key);
        return send(200, {
          ...specExample<object>('EssentialsCustomerCreated'),
          id: randomUUID(),
          customerId: b.shortName,
        });
      }
      case 'verifyLcCustomer':
        return route.pathParams.id === '85844'
          ? send(200, specExample('OvocCustomerBrad984'))
          : send(404, problem(404, 'Not Found'));
      case 'createCustomerFromLead': {
        const tenant = b.msTenantId ?? '';
        let outcome = 'TaskValidationFailedNoLead';
        if (converted.has(tenant)) outcome = 'TaskCustomerAlreadyConverted';
        else if (tenant === LEAD_TENANT) {
          outcome = 'TaskConverted';
          if (!options.forgetConversions) converted.add(tenant);
        }
        const id = newTask(`wst_${randomUUID()}`, outcome);
        return send(200, aspnet ? { jobId: id } : { taskId: id });
      }
      case 'getTask': {
        const task = tasks.get(route.pathParams.taskId ?? '');
        if (!task) return send(404, problem(404, 'Not Found'));
        task.polls++;
        const done = Date.now() - task.createdAt >= duration;
        const view = {
          ...specExample<Record<string, unknown>>(done ? task.outcome : 'TaskInProgress'),
          id: task.id,
        };
        return send(200, options.taskView ? options.taskView(view, task) : view);
      }
      default:
        return send(404, problem(404, 'Not Found'));
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify(problem(500, 'Internal Server Error')));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

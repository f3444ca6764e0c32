// RFC 9457 problem bodies in the vendor's ASP.NET shape, and the replies that carry them: every
// error the sandbox (its API, control plane and token endpoint) answers is built here.
import { randomBytes } from 'node:crypto';

/** What a route answers: the status and the body, already JSON; `close` ends the connection after it. */
export interface Reply {
  status: number;
  json: string;
  headers?: Record<string, string>;
  close?: boolean;
}

/** A reply whose body is `value` as JSON. */
export const jsonReply = (value: unknown, status = 200): Reply => ({ status, json: JSON.stringify(value) });

/** An RFC 9457 problem in the vendor's ASP.NET shape (ProblemDetails / ValidationProblemDetails). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId: string;
  errors?: Record<string, string[]>;
}

const KINDS: Record<number, [string, string]> = {
  400: ['https://tools.ietf.org/html/rfc9110#section-15.5.1', 'One or more validation errors occurred.'],
  401: ['https://tools.ietf.org/html/rfc9110#section-15.5.2', 'Unauthorized'],
  403: ['https://tools.ietf.org/html/rfc9110#section-15.5.4', 'Forbidden'],
  404: ['https://tools.ietf.org/html/rfc9110#section-15.5.5', 'Not Found'],
  405: ['https://tools.ietf.org/html/rfc9110#section-15.5.6', 'Method Not Allowed'],
  408: ['https://tools.ietf.org/html/rfc9110#section-15.5.9', 'Request Timeout'],
  409: ['https://tools.ietf.org/html/rfc9110#section-15.5.10', 'Conflict'],
  413: ['https://tools.ietf.org/html/rfc9110#section-15.5.14', 'Content Too Large'],
  415: ['https://tools.ietf.org/html/rfc9110#section-15.5.16', 'Unsupported Media Type'],
  417: ['https://tools.ietf.org/html/rfc9110#section-15.5.18', 'Expectation Failed'],
  429: ['https://tools.ietf.org/html/rfc6585#section-4', 'Too Many Requests'],
  431: ['https://tools.ietf.org/html/rfc6585#section-5', 'Request Header Fields Too Large'],
  500: ['https://tools.ietf.org/html/rfc9110#section-15.6.1', 'Internal Server Error'],
  502: ['https://tools.ietf.org/html/rfc9110#section-15.6.3', 'Bad Gateway'],
  503: ['https://tools.ietf.org/html/rfc9110#section-15.6.4', 'Service Unavailable'],
};

/** W3C trace-context shape, as ASP.NET writes traceId; support quotes it, so it must be unique. */
function traceId(): string {
  const bytes = randomBytes(24).toString('hex');
  return `00-${bytes.slice(0, 32)}-${bytes.slice(32, 48)}-01`;
}

export function problem(status: number, detail: string): Problem {
  const [type, title] = KINDS[status] ?? KINDS[500]!;
  return { type, title, status, detail, traceId: traceId() };
}

/**
 * Keys come from untrusted input (a field name, `__proto__` included), so the map has no prototype
 * for an assignment to land on.
 */
export function errorMap(): Record<string, string[]> {
  return Object.create(null) as Record<string, string[]>;
}

export function addError(errors: Record<string, string[]>, field: string, message: string): void {
  const list = errors[field];
  if (list) list.push(message);
  else errors[field] = [message];
}

/** A 400 with ASP.NET's `errors` map: every 400 the contract declares is a ValidationProblemDetails. */
export function validationProblem(errors: Record<string, string[]>, detail?: string): Problem {
  const fields = Object.keys(errors);
  return {
    ...problem(
      400,
      detail ??
        `Fix ${fields.length === 1 ? 'the field' : 'the fields'} ${fields.join(', ')} and send the request again.`,
    ),
    errors,
  };
}

/**
 * The JSON text of a problem (see problem()). A 400 is a ValidationProblemDetails, the message under
 * `$`, because every 400 the contract declares is one: a proxy's or a server edge's too.
 */
export const problemBody = (status: number, detail: string): string =>
  JSON.stringify(status === 400 ? validationProblem({ $: [detail] }) : problem(status, detail));

/** A problem reply: the one way every part of the sandbox answers an error. */
export function problemReply(status: number, detail: string, headers?: Record<string, string>): Reply {
  return { status, json: problemBody(status, detail), ...(headers ? { headers } : {}) };
}

/** A 400 ValidationProblemDetails reply with ASP.NET's `errors` map. */
export function validationReply(errors: Record<string, string[]>, detail?: string): Reply {
  return { status: 400, json: JSON.stringify(validationProblem(errors, detail)) };
}

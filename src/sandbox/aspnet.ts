// ASP.NET-behaviour switches: answers a stock ASP.NET Core service may legitimately give where the
// vendor's pages are silent (issue 12). All off by default; each one rewrites the sandbox's answer
// just before it is written (or, for unknown request members, the body before validation), so the
// handlers stay the vendor's reading and these stay in one place.
import type { IncomingMessage } from 'node:http';
import { atPointer } from '../../scripts/spec-walk.mjs';
import { loadSpec, matchRoute, schemaBranches, type OperationInfo } from '../contract/index.js';
import type { Reply } from '../internal/problems.js';
import { is2xx } from '../internal/status.js';
import { isJsonObject } from '../internal/json.js';

export const ASPNET_SWITCHES = [
  /** A 401 has an empty body and `WWW-Authenticate: Bearer` (JwtBearer's challenge). */
  'emptyAuthBodies',
  /** A 405 has an empty body and `Allow` (endpoint routing). */
  'emptyMethodNotAllowed',
  /** A string result (the import's task id) is `text/plain`, unquoted, unless Accept asks for JSON. */
  'textPlainStrings',
  /** The lead conversion starts with `{"jobId": ...}` as a sibling vendor page shows. */
  'jobIdStart',
  /** Every response object carries members the contract does not know. */
  'extraMembers',
  /** Unknown request members are ignored (System.Text.Json's default) instead of a 400. */
  'ignoreUnknownMembers',
  /** Model-validation `errors` keys are JSON paths (`$.shortName`). */
  'dollarErrorKeys',
  /** A 429 has no Retry-After (the vendor documents no rate-limit policy). */
  'noRetryAfter',
] as const;

export type AspNetSwitch = (typeof ASPNET_SWITCHES)[number];
export type AspNetOptions = Partial<Record<AspNetSwitch, boolean>>;

type Headers = Record<string, string>;
/** Rewrites an answer; `routed` is what the server routed the request by (path without query, HEAD as GET). */
export type Shape = (
  req: IncomingMessage,
  routed: { path: string; method: string },
  reply: Reply,
  head: Headers,
) => { reply: Reply; head: Headers };

/** The members extraMembers adds: a string and an object, the two shapes a tolerant reader must skip. */
export const EXTRA_MEMBERS = Object.freeze({
  extraMember: 'not in the contract (aspnet.extraMembers)',
  extraObject: Object.freeze({ addedBy: 'aspnet.extraMembers' }),
});

/** `--aspnet all` or `--aspnet name,name`; throws an Error whose message lists the names. */
export function parseAspNetFlag(value: string): AspNetOptions {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.join() === 'all') return Object.fromEntries(ASPNET_SWITCHES.map((s) => [s, true]));
  const unknown = names.filter((n) => !(ASPNET_SWITCHES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length) {
    throw new Error(
      `--aspnet takes "all" or a comma-separated list of ${ASPNET_SWITCHES.join(', ')}${unknown.length ? `; unknown: ${unknown.slice(0, 5).join(', ')}` : ''}.`,
    );
  }
  return Object.fromEntries(names.map((n) => [n, true]));
}

// --- schema walking (only the bundled contract's own schemas reach here) ---

type Schema = Record<string, unknown>;

const pointer = (p: string): unknown => atPointer(loadSpec(), p);

/** Where a member's schema is: a branch that declares it, else one's `additionalProperties`. */
function memberSchema(all: Schema[], key: string): unknown {
  const declaring = all.find((b) => isJsonObject(b.properties) && Object.hasOwn(b.properties, key));
  if (declaring) return (declaring.properties as Schema)[key];
  return all.find((b) => isJsonObject(b.additionalProperties))?.additionalProperties;
}

/** A map (`additionalProperties: {schema}` and no declared members) takes no extra key; a record does. */
const isMap = (all: Schema[]) =>
  !all.some((b) => b.properties) && all.some((b) => isJsonObject(b.additionalProperties) || b.propertyNames);

/**
 * Calls `visit` on every record in the value, its members first, with the schema branches that
 * describe it; maps and arrays are followed through their value and item schemas.
 */
function eachRecord(
  value: unknown,
  schema: unknown,
  visit: (record: Record<string, unknown>, all: Schema[]) => void,
  depth = 0,
): void {
  if (depth > 32) return;
  const all = schemaBranches(schema);
  if (Array.isArray(value)) {
    const items = all.find((b) => b.items)?.items;
    for (const v of value) eachRecord(v, items, visit, depth + 1);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [k, v] of Object.entries(value)) eachRecord(v, memberSchema(all, k), visit, depth + 1);
  visit(value, all);
}

/** Adds EXTRA_MEMBERS to every record in the value, following the schema; maps are left alone. */
export const addExtraMembers = (value: unknown, schema: unknown): void =>
  eachRecord(value, schema, (record, all) => {
    if (!isMap(all)) Object.assign(record, structuredClone(EXTRA_MEMBERS));
  });

/** Drops members a closed object (`additionalProperties: false`) does not declare, in place. */
export const dropUnknownMembers = (value: unknown, schema: unknown): void =>
  eachRecord(value, schema, (record, all) => {
    if (!all.some((b) => b.additionalProperties === false || b.unevaluatedProperties === false)) return;
    for (const k of Object.keys(record))
      if (!all.some((b) => isJsonObject(b.properties) && Object.hasOwn(b.properties, k))) delete record[k];
  });

// --- content negotiation ---

/**
 * Whether ASP.NET's negotiation picks the JSON formatter for a string result. Accept is ignored when
 * it holds `*\/*` (RespectBrowserAcceptHeader is off by default); otherwise the media ranges are
 * tried by quality, and the string formatter comes first for `text/*`; no match falls back to it.
 */
export function acceptsJsonFirst(accept: string | undefined): boolean {
  const ranges = (accept ?? '')
    .split(',')
    .slice(0, 50)
    .map((part, i) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.map((p) => /^q=([0-9.]+)$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { type, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.type && r.q > 0);
  if (ranges.some((r) => r.type === '*/*')) return false;
  ranges.sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranges.find((r) => r.type === 'text/plain' || r.type === 'text/*' || JSON_RANGE.test(r.type));
  return first !== undefined && JSON_RANGE.test(first.type);
}
const JSON_RANGE = /^(application\/(json|\*|[^/]*\+json)|text\/json)$/;

// --- the shaper ---

/** The reply with its body edited; every reply's body is JSON the sandbox wrote. */
const rewriteJson = (reply: Reply, edit: (value: any) => unknown): Reply => ({
  status: reply.status,
  json: JSON.stringify(edit(JSON.parse(reply.json))),
});

const jsonPathKey = (key: string) =>
  key.startsWith('$') ? key : key.startsWith('[') ? `$${key}` : `$.${key}`;

/** The shaper and the request-body hook for the switches that are on; undefined when none is. */
export function createAspNet(options: AspNetOptions): {
  shape?: Shape;
  requestBody?: (op: OperationInfo, body: unknown) => unknown;
} {
  const on = (s: AspNetSwitch) => options[s] === true;
  const out: ReturnType<typeof createAspNet> = {};
  if (on('ignoreUnknownMembers')) {
    out.requestBody = (op, body) => {
      if (op.requestBody) dropUnknownMembers(body, pointer(op.requestBody.schemaPointer));
      return body;
    };
  }
  const shaping = ASPNET_SWITCHES.some((s) => s !== 'ignoreUnknownMembers' && on(s));
  if (!shaping) return out;

  out.shape = (req, { path, method }, reply, head) => {
    const { status } = reply;
    // The challenge applies to every path: authentication runs before routing.
    if (status === 401 && head['www-authenticate'] && on('emptyAuthBodies')) {
      const challenge = head['www-authenticate'].replace(/\s*realm="[^"]*",?\s*/, ' ').trim();
      return empty(reply, head, { 'www-authenticate': challenge });
    }
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) return { reply, head };
    if (status === 405 && on('emptyMethodNotAllowed')) return empty(reply, head, {});
    const route = matchRoute(method, path);
    const op = route.kind === 'operation' ? route.operation : undefined;
    if (status === 429 && on('noRetryAfter') && head['retry-after']) {
      const { 'retry-after': _dropped, ...rest } = head;
      head = rest;
      reply = rewriteJson(reply, (p) => ({ ...p, detail: 'Rate limited (a sandbox fault).' }));
    }
    if (status === 400 && on('dollarErrorKeys')) {
      reply = rewriteJson(reply, (p) => {
        if (isJsonObject(p.errors))
          p.errors = Object.fromEntries(Object.entries(p.errors).map(([k, v]) => [jsonPathKey(k), v]));
        return p;
      });
    }
    if (status === 200 && op?.operationId === 'createCustomerFromLead' && on('jobIdStart')) {
      reply = rewriteJson(reply, ({ taskId, ...rest }) => ({ jobId: taskId, ...rest }));
    }
    if (on('extraMembers') && reply.json) {
      const schemaPointer = op?.responses[String(status)]?.schemaPointer;
      reply = rewriteJson(reply, (v) => {
        if (status >= 400) {
          // A problem: extensions at the top; the `errors` map's keys are field names, so it gets none.
          if (isJsonObject(v)) Object.assign(v, structuredClone(EXTRA_MEMBERS));
        } else if (schemaPointer) addExtraMembers(v, pointer(schemaPointer));
        return v;
      });
    }
    if (
      is2xx(status) &&
      on('textPlainStrings') &&
      reply.json.startsWith('"') &&
      !acceptsJsonFirst(req.headers.accept)
    ) {
      const text = JSON.parse(reply.json) as string;
      reply = { status, json: text };
      head = { ...head, 'content-type': 'text/plain; charset=utf-8' };
    }
    head = { ...head, 'content-length': String(Buffer.byteLength(reply.json)) };
    return { reply, head };
  };
  return out;
}

/** An empty answer keeps its status and the headers that matter; it has no Content-Type. */
function empty(reply: Reply, head: Headers, extra: Headers): { reply: Reply; head: Headers } {
  const { 'content-type': _type, 'content-length': _length, ...rest } = head;
  return { reply: { status: reply.status, json: '' }, head: { ...rest, ...extra, 'content-length': '0' } };
}

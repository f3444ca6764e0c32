import { basename } from 'node:path';
import { matchRoute, type OperationInfo } from '../contract/index.js';
import { parsedResponse } from '../check/http.js';
import { redactor } from '../internal/redact.js';
import type { CheckOutcome, CheckRequest, Exchange, TargetReport } from '../check/types.js';
import { DriftCollector, type Drift } from './drift.js';
import { judgeExchange } from './judge.js';
import type { Recording, RecordedEntry } from './read.js';

export interface RecordingReport {
  /** The checker's report shape, so the checker's text, JSON and JUnit writers print it. */
  report: TargetReport;
  /** Requests to paths (or methods) the contract does not have: listed, not judged. */
  unknown: { method: string; path: string; count: number; firstEntry: number }[];
  /** Entries the recording holds no answer for (status 0). */
  noResponse: number[];
  drift: Drift[];
  /** Tokens found in the recording's Authorization headers: every report removes them. */
  secrets: string[];
}

/** The bearer tokens (or other credentials) a recording carries, so that no report repeats them. */
export function credentialsIn(entries: RecordedEntry[]): string[] {
  const found = new Set<string>();
  for (const e of entries) {
    for (const name of ['authorization', 'proxy-authorization']) {
      const value = e.requestHeaders[name];
      if (!value) continue;
      const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1] ?? value;
      if (credential !== '[redacted]') found.add(credential.trim());
    }
  }
  return [...found];
}

/**
 * The operation a recorded URL addresses: its path as is, or, for an API behind a path prefix
 * (`https://gw.example.com/lp/api/v2/...`), from the first `/api/` on.
 */
function route(method: string, pathname: string) {
  const direct = matchRoute(method, pathname);
  if (direct.kind !== 'not-found') return direct;
  const at = pathname.indexOf('/api/');
  return at > 0 ? matchRoute(method, pathname.slice(at)) : direct;
}

function checkRequest(e: RecordedEntry, redact: (text: string) => string): CheckRequest {
  const auth = e.requestHeaders.authorization ? 'token' : 'none';
  const text = e.requestBody === undefined ? undefined : redact(e.requestBody);
  let body: unknown = text;
  if (text !== undefined) {
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: a report shows the text.
    }
  }
  return {
    method: e.method,
    path: redact(`${e.url.pathname}${e.url.search}`),
    auth,
    ...(body !== undefined && e.requestBody !== '' ? { body } : {}),
  };
}

/** Holds every recorded exchange against the contract, with the checker's checks and evidence classes. */
export function validateRecording(recording: Recording, options: { strict?: boolean } = {}): RecordingReport {
  const started = performance.now();
  const secrets = credentialsIn(recording.entries);
  const redact = redactor(secrets);
  const outcomes: CheckOutcome[] = [];
  const unknown = new Map<string, RecordingReport['unknown'][number]>();
  const noResponse: number[] = [];
  const drift = new DriftCollector();
  const origins = new Set<string>();
  for (const e of recording.entries) {
    const match = route(e.method, e.url.pathname);
    if (match.kind !== 'operation') {
      const key = `${e.method} ${e.url.pathname}`;
      const seen = unknown.get(key);
      if (seen) seen.count++;
      else
        unknown.set(key, { method: e.method, path: redact(e.url.pathname), count: 1, firstEntry: e.index });
      continue;
    }
    origins.add(e.url.origin);
    if (!e.response) {
      noResponse.push(e.index);
      continue;
    }
    const operation: OperationInfo = match.operation;
    const { response, json } = parsedResponse(
      {
        status: e.response.status,
        headers: e.response.headers,
        text: e.response.body,
        ...(e.response.incomplete ? { truncated: true } : {}),
      },
      Math.round(e.timeMs),
      redact,
    );
    const exchange: Exchange = { request: checkRequest(e, redact), response };
    const caseName = `entry ${e.index}: ${e.method} ${redact(e.url.pathname)}`;
    for (const o of judgeExchange(operation, exchange, json, {
      caseName,
      ...(options.strict ? { strict: true } : {}),
    })) {
      if (o.reason !== undefined) o.reason = redact(o.reason);
      outcomes.push(o);
    }
    if (operation.responses[String(e.response.status)])
      drift.observe(operation, e.response.status, json, e.index);
  }
  return {
    report: {
      target: {
        name: basename(recording.path),
        kind: 'live',
        // The curl lines of a report repeat a request against where it was recorded.
        url:
          origins.size === 1
            ? [...origins][0]!
            : origins.size
              ? [...origins][0]!
              : 'http://recording.invalid',
      },
      runPrefix: '',
      outcomes,
      created: [],
      requests: recording.entries.length,
      durationMs: Math.round(performance.now() - started),
    },
    unknown: [...unknown.values()],
    noResponse,
    drift: drift.list(),
    secrets,
  };
}

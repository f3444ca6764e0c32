import { basename } from 'node:path';
import { apiPath } from '../internal/routes.js';
import { matchRoute } from '../contract/index.js';
import { parsedResponse } from '../check/http.js';
import { redactor, type Redactor } from '../internal/redact.js';
import type { CheckOutcome, CheckRequest, Exchange, TargetReport } from '../check/types.js';
import { DriftCollector, type Drift } from './drift.js';
import { judgeExchange } from './judge.js';
import type { Recording, RecordedEntry } from './read.js';
import { credentialsOf } from './record.js';

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

function checkRequest(e: RecordedEntry, redact: Redactor): CheckRequest {
  const text = e.requestBody && redact(e.requestBody);
  let body: unknown = text;
  try {
    body = text && JSON.parse(text);
  } catch {
    // Not JSON: a report shows the text.
  }
  return {
    method: e.method,
    path: redact(`${e.url.pathname}${e.url.search}`),
    auth: e.requestHeaders.authorization ? 'token' : 'none',
    ...(text && { body }),
  };
}

/** Holds every recorded exchange against the contract, with the checker's checks and evidence classes. */
export function validateRecording(recording: Recording, options: { strict?: boolean } = {}): RecordingReport {
  const started = performance.now();
  const secrets = [...new Set(recording.entries.flatMap((e) => credentialsOf(e.requestHeaders)))];
  const redact = redactor(secrets);
  const outcomes: CheckOutcome[] = [];
  const unknown = new Map<string, RecordingReport['unknown'][number]>();
  const noResponse: number[] = [];
  const drift = new DriftCollector();
  const origins = new Set<string>();
  for (const e of recording.entries) {
    const match = matchRoute(e.method, apiPath(e.url.pathname));
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
    const { operation } = match;
    const { status, headers, body, incomplete } = e.response;
    const { response, json } = parsedResponse(
      { status, headers, text: body, truncated: incomplete },
      Math.round(e.timeMs),
      redact,
    );
    const exchange: Exchange = { request: checkRequest(e, redact), response };
    const caseName = `entry ${e.index}: ${e.method} ${redact(e.url.pathname)}`;
    for (const o of judgeExchange(operation, exchange, json, { caseName, strict: options.strict })) {
      if (o.reason !== undefined) o.reason = redact(o.reason);
      outcomes.push(o);
    }
    drift.observe(operation, status, json, e.index);
  }
  return {
    report: {
      target: {
        name: basename(recording.path),
        kind: 'live',
        // The curl lines of a report repeat a request against where it was recorded.
        url: [...origins][0] ?? 'http://recording.invalid',
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

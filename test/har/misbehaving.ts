// A tenant that gets some things wrong and some things merely unusual, so that a recording made
// through the proxy holds each planted drift once. Every path it answers is an operation of the
// contract; each answer is what an ASP.NET server could really send.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOKEN = 'misbehaving-secret-99';
const json = 'application/json; charset=utf-8';

const task = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: 'CompletedSuccess',
  details: ['Converted'],
  executionMessages: [],
  outputData: { umpCustomerGuid: '2f7a7d2c-9a59-4c36-9d6d-0e5c3f5e1a10' },
  createTime: '2025-06-02T10:00:00',
  completeTime: '2025-06-02T10:00:05',
  cancellationRequested: null,
  ...extra,
});

/** Path → [status, content type, body]. */
export const ANSWERS: Record<string, [number, string, string]> = {
  // Failures: a vendor rule broken.
  'GET /api/v2/task/tsk_1': [200, json, JSON.stringify(task('tsk_1', { status: 'Paused' }))],
  'GET /api/v2/task/tsk_2': [
    200,
    json,
    JSON.stringify(Object.fromEntries(Object.entries(task('tsk_2')).filter(([k]) => k !== 'createTime'))),
  ],
  'PUT /api/ovoc/v1/topology/customers/85844': [200, 'text/html', '<html>Brad</html>'],
  // Tolerated: what the evidence rule allows, and drift worth knowing.
  'POST /api/v2/customer/182f496c-0aaa-4023-bdd4-03b9cf8f68b9/action/ovocimport': [
    200,
    'text/plain; charset=utf-8',
    'tsk_185510',
  ],
  'POST /api/v3/customer': [200, json, JSON.stringify({ jobId: 'wst_1a93b0c9-5ab0-4d3f-af25-c0f18ad0aa2e' })],
  'GET /api/v2/task/tsk_3': [
    200,
    json,
    JSON.stringify(
      task('tsk_3', {
        details: ['Reticulated'],
        outputData: { batchId: 7 },
        priority: 'high',
      }),
    ),
  ],
  // A rule that rests on our own decision (the TaskId pattern): lenient, a failure with --strict.
  'GET /api/v2/task/wst_ok': [200, json, JSON.stringify(task('not a pattern id'))],
  // The same rule on ASP.NET's unquoted text/plain id.
  'POST /api/v2/customer/7d0a3c55-4b1e-4f0e-9a2b-1c3d5e7f9a0b/action/ovocimport': [
    200,
    'text/plain; charset=utf-8',
    'odd id',
  ],
};

export async function startMisbehaving(): Promise<{
  url: string;
  requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      const answer = ANSWERS[`${req.method} ${req.url}`];
      if (!answer) {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        return res.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      }
      const [status, type, body] = answer;
      // A tenant that echoes the caller's token: the recording must not keep it.
      res.writeHead(status, { 'content-type': type, 'x-echo': String(req.headers.authorization ?? '') });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

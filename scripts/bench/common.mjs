// What the sections of `npm run bench` share: the contract, the bench token, statistics and the
// child-process servers. Imported by scripts/bench.mjs and its section modules (scripts/bench/).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const spec = JSON.parse(readFileSync(join(root, 'generated/openapi.json'), 'utf8'));
const { freePort, waitForPort } = await import('../../dist/mock/net.js');

export const TOKEN = 'bench-token';
/** The vendor's converted task: the body every client caller reads. */
export const taskBody = spec.components.examples.TaskConverted.value;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const fmt = (n, d = 2) => Number(n).toFixed(d);

// A child process per server under load, so the load generator does not share its event loop.
export async function childServer(args, env = {}) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, '--port', String(port)], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`server ${args.join(' ')} exited (code ${code}) before listening`)),
    ),
  );
  exited.catch(() => {});
  await Promise.race([waitForPort(port), exited]);
  return {
    startMs: performance.now() - t0,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

// A bare node:http server in its own process, sending the same bytes as the sandbox would: the
// ceiling for any Node server, and a peer whose garbage collection never lands inside a timed call.
export const bareServerProcess = (body) =>
  childServer([
    '-e',
    `const b=Buffer.from(${JSON.stringify(JSON.stringify(body))});` +
      `const p=process.argv[process.argv.indexOf('--port')+1];` +
      `const s=require('http').createServer((q,r)=>{r.writeHead(200,{'content-type':'application/json','content-length':b.length});r.end(b)});` +
      `s.keepAliveTimeout=30000;s.listen(+p,'127.0.0.1')`,
    '--',
  ]);

#!/usr/bin/env node
// Where a client call's time goes: runs one caller of the bench's client section (a block of
// consecutive calls against the same bare server in another process) under the V8 CPU profiler, and
// prints the busy time per call by owner: this package (dist/), openapi-fetch, undici, the rest of
// Node, and garbage collection. A native function (a socket write, JSON.parse) counts for the
// JavaScript that called it.
//
//   npm run build && node scripts/profile-client.mjs 'lp.getTask' [calls] [--save file.cpuprofile]
//
// Callers: the names of scripts/bench/client.mjs (`node scripts/profile-client.mjs --list`).
// The profile is of this process only: the server's work is not in it.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { fmt, bareServerProcess, taskBody, root } from './bench/common.mjs';
import { clientCallers } from './bench/client.mjs';

const args = process.argv.slice(2);
const saveAt = args.indexOf('--save');
const save = saveAt === -1 ? undefined : args.splice(saveAt, 2)[1];
const [name = 'lp.getTask', callsArg = '5000'] = args;
const calls = Number(callsArg);

const server = await bareServerProcess(taskBody);
let profile;
let cpuUs;
try {
  const callers = clientCallers(server.url);
  if (name === '--list' || !callers[name]) {
    console.log(`Callers: ${Object.keys(callers).join(' | ')}`);
    process.exitCode = name === '--list' ? 0 : 2;
  } else {
    const call = callers[name];
    for (let i = 0; i < 500; i++) await call(); // warm-up, outside the profile
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const c0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) await call();
    const c = process.cpuUsage(c0);
    ({ profile } = await session.post('Profiler.stop'));
    session.disconnect();
    cpuUs = (c.user + c.system) / calls;
  }
} finally {
  await server.close();
}

if (profile) {
  if (save) writeFileSync(save, JSON.stringify(profile));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = (url) =>
    url.includes('openapi-fetch')
      ? 'openapi-fetch'
      : url.startsWith(`file://${root}/dist/`)
        ? 'this package'
        : url.includes('undici')
          ? 'undici'
          : url.startsWith('node:')
            ? 'node'
            : url.startsWith(`file://${root}/scripts/`)
              ? 'bench harness'
              : 'other';
  const byOwner = new Map();
  const byFunction = new Map();
  const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const t = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(profile.samples[i]).callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    busy += t;
    if (frame.functionName === '(garbage collector)') {
      add(byOwner, 'garbage collection', t);
      continue;
    }
    // The innermost frame with a script: a native's time goes to the JavaScript that called it.
    let id = profile.samples[i];
    while (id !== undefined && !nodes.get(id).callFrame.url) id = parent.get(id);
    const js = id === undefined ? undefined : nodes.get(id).callFrame;
    const who = js ? owner(js.url) : 'other';
    add(byOwner, who, t);
    if (js && (who === 'this package' || who === 'openapi-fetch'))
      add(
        byFunction,
        `${who}: ${js.functionName || '(anonymous)'} (${js.url.split('/').pop()}:${js.lineNumber + 1})`,
        t,
      );
  }
  const perCall = (t) => `${fmt(t / calls, 1).padStart(7)} µs/call`;
  console.log(
    `${name}: ${calls} calls; CPU ${fmt(cpuUs, 1)} µs/call (process.cpuUsage); sampled busy ${fmt(busy / calls, 1)} µs/call`,
  );
  for (const [who, t] of [...byOwner].sort((a, b) => b[1] - a[1]))
    console.log(`${perCall(t)}  ${fmt((100 * t) / busy, 1).padStart(5)}%  ${who}`);
  console.log('this package and openapi-fetch, by function:');
  for (const [fn, t] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${perCall(t)}  ${fn}`);
}

import { HarRecorder } from '../../har/record.js';
import { writeWhole } from '../../har/write.js';
import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  startProxy,
  VIOLATIONS_HEADER,
  type RunningProxy,
} from '../../proxy/index.js';
import { helpHint, parse, portOption, UsageError, wholeNumberOption } from '../args.js';
import { version } from '../version.js';
import { writablePath } from './check.js';
import { errorText } from '../../internal/error-text.js';
import { normalizeBaseUrl, UPSTREAM_WORDING } from '../../internal/base-url.js';

export const usage = `Usage: live-platform proxy --upstream URL [--port 4030] [--host 127.0.0.1] [--har FILE]
                          [--strict] [--upstream-timeout ms] [--quiet]

A validating, recording reverse proxy: point your application at it instead of your tenant. Every
request goes to the upstream unchanged (its token included, to the upstream only); every answer
comes back with a ${VIOLATIONS_HEADER} header: \`none\`, the failed checks
(\`status_code_conformance, response_schema_conformance\`; \`check;lenient\` for a warning), or
\`unknown-operation\` for a path the contract does not have. One line per exchange goes to stderr
(method, path without query, status, ms, violations; never a token).

  --upstream URL          the server to forward to, e.g. https://live.example.com (required)
  --port N                port to listen on (default 4030; 0 picks a free one)
  --host H                interface to listen on (default 127.0.0.1: the proxy carries your token)
  --har FILE              record every exchange as HAR 1.2, credentials redacted; written whole on
                          exit (Ctrl-C, SIGTERM) and on demand with \`kill -USR2 <pid>\`
  --strict                count answers that break only the project's own decisions as violations
                          without the \`;lenient\` mark
  --upstream-timeout ms   deadline per upstream exchange, connect to last byte (${DEFAULT_UPSTREAM_TIMEOUT_MS})
  --quiet                 no line per exchange

Bounds: request bodies over 64 KiB get 413; an upstream that fails, times out or answers more than
4 MiB gets the client a 502 with a problem body. Then: live-platform validate FILE.`;

const FLAGS = {
  upstream: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  har: { type: 'string' },
  strict: { type: 'boolean' },
  'upstream-timeout': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The one base-URL rule (src/internal/base-url.ts) for the upstream, as exit 2; never quotes the URL. */
function upstreamOption(raw: string | undefined): string {
  if (!raw)
    throw new UsageError(
      `--upstream is required: the URL of the server to forward to.\n${helpHint('proxy')}`,
    );
  try {
    return normalizeBaseUrl(raw, '--upstream', UPSTREAM_WORDING);
  } catch (e) {
    throw new UsageError(errorText(e));
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, FLAGS, 'proxy');
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const upstream = upstreamOption(values.upstream);
  const port = portOption(values.port, 4030);
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) throw new UsageError('--host must name an interface, such as 127.0.0.1.');
  const upstreamTimeoutMs = wholeNumberOption(
    values['upstream-timeout'],
    '--upstream-timeout',
    1,
    86_400_000,
    'a whole number of milliseconds above 0',
  );
  if (values.har === '-') throw new UsageError('--har needs a file path; a HAR is not written to stdout.');
  const harPath = await writablePath(values.har, '--har');

  let proxy: RunningProxy | undefined;
  const recorder = harPath
    ? new HarRecorder({
        creator: { name: 'live-platform proxy', version: version() },
        redact: (text) => proxy?.redact(text) ?? text,
      })
    : undefined;
  try {
    proxy = await startProxy({
      upstream,
      port,
      host,
      ...(upstreamTimeoutMs !== undefined ? { upstreamTimeoutMs } : {}),
      ...(values.strict ? { strict: true } : {}),
      ...(recorder ? { onExchange: recorder.observe } : {}),
      ...(values.quiet ? {} : { log: (line: string) => console.error(line) }),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is in use; pick another with --port (0 picks a free one).`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
      throw new UsageError(
        `cannot listen on ${JSON.stringify(host)}; pass --host with an address of this machine, such as 127.0.0.1.`,
      );
    throw err;
  }
  const running = proxy;
  // The final pass over the whole file, as every report gets: each credential the proxy saw, in every form.
  const writeHar = async () => {
    if (!harPath || !recorder) return;
    await writeWhole(harPath, running.redact(JSON.stringify(recorder.toHar(), undefined, 2)));
    console.error(`live-platform proxy: wrote ${recorder.size} exchange(s) to ${harPath}`);
  };
  console.log(`live-platform proxy listening on ${running.url}, forwarding to ${upstream}`);
  if (harPath)
    console.log(
      `Recording to ${harPath} on exit${process.platform === 'win32' ? '' : `; kill -USR2 ${process.pid} writes it now`}. Ctrl-C stops it.`,
    );
  else console.log('Ctrl-C stops it.');

  let writing = Promise.resolve();
  const onDemand = () => {
    writing = writing.then(writeHar).catch((err: unknown) => {
      console.error(`live-platform proxy: could not write ${harPath}: ${errorText(err)}`);
    });
  };
  // Windows has no SIGUSR2: there the recording is written when the proxy stops.
  const onDemandSignal = harPath && process.platform !== 'win32';
  if (onDemandSignal) process.on('SIGUSR2', onDemand);
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (onDemandSignal) process.off('SIGUSR2', onDemand);
      void (async () => {
        await running.close();
        await writing;
        try {
          await writeHar();
          resolve(0);
        } catch (err) {
          console.error(`live-platform proxy: could not write ${harPath}: ${errorText(err)}`);
          resolve(2);
        }
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

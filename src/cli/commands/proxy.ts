import { writeWhole } from '../../har/write.js';
import { normalizeBaseUrl, UPSTREAM_WORDING } from '../../internal/base-url.js';
import { errorText } from '../../internal/error-text.js';
import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  startProxy,
  VIOLATIONS_HEADER,
  type RunningProxy,
} from '../../proxy/index.js';
import {
  address,
  flags,
  helpHint,
  listen,
  msOption,
  parse,
  printed,
  untilSignal,
  UsageError,
} from '../args.js';
import { harRecorder, reportPaths } from '../reports.js';

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
  ...flags('string', 'upstream', 'port', 'host', 'har', 'upstream-timeout'),
  ...flags('boolean', 'strict', 'quiet'),
};

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, FLAGS, 'proxy');
  if (values.help) return printed(usage);
  if (!values.upstream)
    throw new UsageError(
      `--upstream is required: the URL of the server to forward to.\n${helpHint('proxy')}`,
    );
  const upstream = normalizeBaseUrl(values.upstream, '--upstream', UPSTREAM_WORDING);
  const { har } = await reportPaths(values, ['har']);

  const recorder = har ? harRecorder('proxy', (text) => proxy.redact(text)) : undefined;
  const proxy: RunningProxy = await listen(startProxy, {
    upstream,
    ...address(values, 4030),
    upstreamTimeoutMs: msOption(values['upstream-timeout'], '--upstream-timeout'),
    strict: values.strict,
    onExchange: recorder?.observe,
    log: values.quiet ? undefined : console.error,
  });
  console.log(`live-platform proxy listening on ${proxy.url}, forwarding to ${upstream}`);
  // Windows has no SIGUSR2: there the recording is written when the proxy stops.
  const onDemand = har && process.platform !== 'win32';
  console.log(
    har
      ? `Recording to ${har} on exit${onDemand ? `; kill -USR2 ${process.pid} writes it now` : ''}. Ctrl-C stops it.`
      : 'Ctrl-C stops it.',
  );
  if (!har || !recorder) return untilSignal(proxy.close);

  // The final pass over the whole file, as every report gets: each credential the proxy saw, in every form.
  const writeHar = async () => {
    try {
      await writeWhole(har, proxy.redact(JSON.stringify(recorder.toHar(), undefined, 2)));
      console.error(`live-platform proxy: wrote ${recorder.size} exchange(s) to ${har}`);
      return 0;
    } catch (err) {
      console.error(`live-platform proxy: could not write ${har}: ${errorText(err)}`);
      return 2;
    }
  };
  let writing = Promise.resolve(0);
  const writeNow = () => {
    writing = writing.then(writeHar);
  };
  if (onDemand) process.on('SIGUSR2', writeNow);
  return untilSignal(async () => {
    if (onDemand) process.off('SIGUSR2', writeNow);
    await proxy.close();
    await writing;
    return writeHar();
  });
}

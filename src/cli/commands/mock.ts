import { startPrismMock } from '../../mock/prism.js';
import { parse, portOption, untilSignal } from '../args.js';

export const usage = `Usage: live-platform mock [--port 4010] [--host 127.0.0.1]

Serves the contract with Prism: each operation answers its vendor example. Choose a response with
  Prefer: code=404            a declared status
  Prefer: example=TaskConverted   a named example`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const server = await startPrismMock({
    port: portOption(values.port, 4010),
    host: values.host ?? '127.0.0.1',
    log: (line) => console.error(line),
    // Someone running the mock by hand wants to see each request and how Prism chose its answer.
    verboseLevel: 'info',
  });
  console.log(`Prism mock listening on ${server.url}`);
  return untilSignal(server.close);
}

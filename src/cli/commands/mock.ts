import { startPrismMock } from '../../mock/prism.js';
import { address, parse, printed, untilSignal } from '../args.js';

export const usage = `Usage: live-platform mock [--port 4010] [--host 127.0.0.1]

Serves the contract with Prism: each operation answers its vendor example. Prism is an optional
peer: install it first with npm install --save-dev @stoplight/prism-cli@~5.14.2.

It accepts any bearer token (Authorization: Bearer anything) and checks requests against the
contract. Choose a response with
  Prefer: code=404                a declared status
  Prefer: example=TaskConverted   a named example

  --port N   port to listen on (default 4010; 0 picks a free one). A taken port exits 2 at once.
  --host H   interface (default 127.0.0.1; 0.0.0.0 for every interface)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, 'mock');
  if (values.help) return printed(usage);
  // A taken port, a bad host, no Prism or one that will not start: main() prints its one line, exit 2.
  const server = await startPrismMock({
    ...address(values, 4010),
    log: (line) => console.error(line),
    // Someone running the mock by hand wants to see each request and how Prism chose its answer.
    verboseLevel: 'info',
  });
  console.log(`Prism mock listening on ${server.url} (any bearer token is accepted)`);
  let closing = false;
  const stopped = server.exited!.then((code) => {
    if (closing) return 0;
    console.error(`live-platform mock: Prism stopped on its own (exit code ${code}).`);
    return 1;
  });
  const close = () => {
    closing = true;
    return server.close();
  };
  return Promise.race([untilSignal(close), stopped]);
}

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, printed } from '../args.js';

export const usage = `Usage: live-platform docs [--output docs/index.html]

Builds the API reference: one HTML file (Redoc) that needs no network, with the vendor's examples
and a compiled TypeScript sample for each operation. Needs @redocly/cli (an optional peer).`;

interface DocsBuilder {
  buildDocs(options: { output?: string }): Promise<{ output: string; bytes: number; operations: number }>;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { output: { type: 'string', short: 'o' } }, 'docs');
  if (values.help) return printed(usage);
  // The builder is a plain script shipped beside dist/ (npm run docs runs the same file).
  const builder = new URL('../../../scripts/build-docs.mjs', import.meta.url).href;
  const { buildDocs } = (await import(builder)) as DocsBuilder;
  const { output, bytes, operations } = await buildDocs({
    output: resolve(values.output || 'docs/index.html'),
  });
  console.log(
    `docs: ${operations} operations, ${Math.round(bytes / 1024)} KiB, no network needed -> ${output}`,
  );
  console.log(`open it: ${pathToFileURL(output).href}`);
  return 0;
}

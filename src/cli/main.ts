import { didYouMean } from './suggest.js';
import { version } from './version.js';
import { errorText } from '../internal/error-text.js';

type Command = { run(argv: string[]): Promise<number> };

// Commands load lazily so `live-platform mock` never pays for the checker, and the reverse.
const commands: Record<string, [summary: string, load: () => Promise<Command>]> = {
  mock: ['serve the contract with the Prism mock', () => import('./commands/mock.js')],
  check: ['check a server against the contract', () => import('./commands/check.js')],
  sandbox: ['run the stateful sandbox server', () => import('./commands/sandbox.js')],
  validate: ['validate a HAR recording against the contract', () => import('./commands/validate.js')],
  proxy: ['a validating, recording proxy in front of a server', () => import('./commands/proxy.js')],
  docs: ['build the offline API reference (Redoc)', () => import('./commands/docs.js')],
};

const usage = `Usage: live-platform <command> [options]\n       live-platform --version\n\nCommands:\n${Object.entries(
  commands,
)
  .map(([name, [summary]]) => `  ${name.padEnd(9)} ${summary}`)
  .join('\n')}\n\nRun live-platform <command> --help for its options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version());
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(commands, name)) {
    const known = [...Object.keys(commands), '--help', '--version'];
    console.error(
      `live-platform: unknown command ${JSON.stringify(name)}.${didYouMean(name, known)}\n\n${usage}`,
    );
    return 2;
  }
  try {
    return await (await commands[name]![1]()).run(rest);
  } catch (err) {
    // A usage mistake and any other failure alike: one line, exit 2.
    console.error(`live-platform ${name}: ${errorText(err)}`);
    return 2;
  }
}

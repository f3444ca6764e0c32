import { UsageError } from './args.js';
import { didYouMean } from './suggest.js';
import { version } from './version.js';
import { errorText } from '../internal/error-text.js';

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

// Commands load lazily so `live-platform mock` never pays for the checker, and the reverse.
const commands: Record<string, Command> = {
  mock: { summary: 'serve the contract with the Prism mock', load: () => import('./commands/mock.js') },
  check: { summary: 'check a server against the contract', load: () => import('./commands/check.js') },
  sandbox: { summary: 'run the stateful sandbox server', load: () => import('./commands/sandbox.js') },
  validate: {
    summary: 'validate a HAR recording against the contract',
    load: () => import('./commands/validate.js'),
  },
  proxy: {
    summary: 'a validating, recording proxy in front of a server',
    load: () => import('./commands/proxy.js'),
  },
  docs: { summary: 'build the offline API reference (Redoc)', load: () => import('./commands/docs.js') },
};

export const usage = () =>
  `Usage: live-platform <command> [options]\n       live-platform --version\n\nCommands:\n${Object.entries(
    commands,
  )
    .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
    .join('\n')}\n\nRun live-platform <command> --help for its options.`;

export { version };

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version());
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    const known = [...Object.keys(commands), '--help', '--version'];
    console.error(
      `live-platform: unknown command ${JSON.stringify(name)}.${didYouMean(name, known)}\n\n${usage()}`,
    );
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`live-platform ${name}: ${err.message}`);
      return 2;
    }
    console.error(`live-platform ${name}: ${errorText(err)}`);
    return 2;
  }
}

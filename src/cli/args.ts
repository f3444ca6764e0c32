import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was called: one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The line under a usage error: where the options are, instead of all of them. */
export const helpHint = (command: string) => `Run "live-platform ${command} --help" for its options.`;

/** A value that starts with a dash but is no option: a negative number such as `-1`. */
const NEGATIVE_NUMBER = /^-[0-9.]/;

/** Like parse, for a command that takes operands (`validate FILE.har`). */
export function parseWithOperands<T extends Options>(
  argv: string[],
  options: T,
  /** The command's name, for the line that points at its --help. */
  command: string,
): {
  values: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
  >['values'];
  positionals: string[];
} {
  try {
    return parseArgs({
      args: withNegativeValues(argv, options),
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${explain(err as Error & { code?: string }, argv, options)}\n${helpHint(command)}`);
  }
}

export function parse<T extends Options>(
  argv: string[],
  options: T,
  /** The command's name, for the line that points at its --help. */
  command: string,
): {
  values: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
  >['values'];
} {
  try {
    return parseArgs({
      args: withNegativeValues(argv, options),
      options,
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(`${explain(err as Error & { code?: string }, argv, options)}\n${helpHint(command)}`);
  }
}

/**
 * `--max-examples -1` as `--max-examples=-1`: parseArgs calls such a value ambiguous and says so in
 * its own words, while the option's validator can say what the option accepts. Only a value that
 * looks like a negative number is joined, so `--token --base-url x` is still a missing token.
 */
function withNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** One sentence for each parseArgs error, with a "did you mean" for a mistyped flag. */
function explain(err: Error & { code?: string }, argv: string[], options: Options): string {
  const flags = Object.keys(options).map((name) => `--${name}`);
  const quoted = /'(-{1,2}[^' =<]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) {
    const flag = quoted.startsWith('--') ? quoted : `-${quoted}`;
    return `Unknown option '${quoted}'.${didYouMean(flag, flags)}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) {
    if (/argument missing/.test(err.message)) return `${quoted} needs a value.`;
    if (/ambiguous/.test(err.message)) {
      const next = argv[argv.indexOf(quoted) + 1] ?? '';
      const option = next.split('=')[0]!;
      return flags.includes(option)
        ? `${quoted} needs a value, but the option ${option} follows it.`
        : `${quoted} needs a value, but ${JSON.stringify(next)} follows it; a value that starts with a dash goes as ${quoted}=${next}.`;
    }
    // A switch given a value (`--strict=yes`).
    if (/does not take an argument/.test(err.message)) return `${quoted} is a switch and takes no value.`;
  }
  return err.message.split('\n')[0]!;
}

export function portOption(value: string | undefined, fallback: number, name = '--port'): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 0 || n > 65535) {
    throw new UsageError(`${name} must be a whole number from 0 to 65535, not ${JSON.stringify(value)}.`);
  }
  return n;
}

/** Keeps a long-running server command alive until Ctrl-C, then closes it cleanly. */
export function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void close().then(() => resolve(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

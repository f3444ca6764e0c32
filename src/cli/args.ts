import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorText } from '../internal/error-text.js';
import { ListenError, listenErrorOf } from '../internal/http-server.js';
import { wholeNumber } from '../internal/whole-number.js';
import { didYouMean } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was called: one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The line under a usage error: where the options are, instead of all of them. */
export const helpHint = (command: string) => `Run "live-platform ${command} --help" for its options.`;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Written out because declaration emit cannot name node:util's option types on its own. */
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T & typeof HELP; strict: true; allowPositionals: boolean }>
>;

/** parseArgs options of one type: `flags('string', 'port', 'host')`. */
export const flags = <T extends 'string' | 'boolean', N extends string>(type: T, ...names: N[]) =>
  Object.fromEntries(names.map((name) => [name, { type }])) as Record<N, { type: T }>;

/**
 * node:util's parseArgs, strict, with `--help`/`-h` added; a mistake is a UsageError pointing at the
 * command's --help. Operands (`validate FILE.har`) only with `operands`.
 */
export function parse<T extends Options>(
  argv: string[],
  options: T,
  command: string,
  operands = false,
): Parsed<T> {
  const all = { ...options, ...HELP };
  try {
    return parseArgs({
      args: withNegativeValues(argv, all),
      options: all,
      strict: true,
      allowPositionals: operands,
    });
  } catch (err) {
    throw new UsageError(`${explain(err as Error & { code?: string }, argv, all)}\n${helpHint(command)}`);
  }
}

/** Prints a command's usage for `--help`: exit code 0. */
export function printed(usage: string, out: (text: string) => void = console.log): number {
  out(usage);
  return 0;
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
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && /^-[0-9.]/.test(argv[i + 1] ?? '')) {
      out.push(`${arg}=${argv[++i]}`);
    } else out.push(arg);
  }
  return out;
}

/** One sentence for each parseArgs error, with a "did you mean" for a mistyped flag. */
function explain(err: Error & { code?: string }, argv: string[], options: Options): string {
  const flags = Object.keys(options).map((name) => `--${name}`);
  const quoted = /'(?:-[^-], )?(-{1,2}[^' =<]+)/.exec(err.message)?.[1];
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

/** A whole-number option from `min` to `max`; otherwise a usage error saying it must be `says`. */
export function wholeNumberOption(
  value: unknown,
  flag: string,
  min: number,
  max: number,
  says = `a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}`,
): number | undefined {
  if (value === undefined) return undefined;
  const n = wholeNumber(value, min, max);
  if (n === undefined) throw new UsageError(`${flag} must be ${says}, not ${JSON.stringify(value)}.`);
  return n;
}

/** A duration in milliseconds, from `min` to a day. */
export const msOption = (value: string | undefined, flag: string, min: 0 | 1 = 1) =>
  wholeNumberOption(
    value,
    flag,
    min,
    86_400_000,
    `a whole number of milliseconds ${min ? 'above 0' : 'from 0 to 86400000'}`,
  );

/** --port (`port` by default; 0 picks a free one) and --host (127.0.0.1 by default) of a server command. */
export function address(values: { port?: string | undefined; host?: string | undefined }, port: number) {
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) throw new UsageError('--host must name an interface, such as 127.0.0.1.');
  return { port: wholeNumberOption(values.port, '--port', 0, 65535) ?? port, host };
}

/** An option's value from its flag, else from its environment variable; `source` names which. */
export const flagOrEnv = (value: string | undefined, flag: string, env: string) =>
  value !== undefined ? { raw: value, source: flag } : { raw: process.env[env], source: env };

/** What `read` returns; what it throws, as a usage error (exit 2) worded `prefix` + its message + `suffix`. */
export function usageOf<T>(read: () => T, prefix = '', suffix = ''): T {
  try {
    return read();
  } catch (err) {
    throw new UsageError(`${prefix}${errorText(err)}${suffix}`);
  }
}

/** Starts a server with `options`: a taken port or an address not of this machine is a usage error. */
export async function listen<O, S>(
  start: (options: O) => Promise<S>,
  options: O & { port: number; host: string },
): Promise<S> {
  try {
    return await start(options);
  } catch (err) {
    const refused = err instanceof ListenError ? err : listenErrorOf(err, options.host, options.port);
    throw refused ? new UsageError(refused.message) : err;
  }
}

/** Calls `stop` on SIGINT and SIGTERM; returns the function that stops listening for them. */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): () => void {
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

/** Keeps a long-running server command alive until Ctrl-C, then closes it: its exit code (0 by default). */
export function untilSignal(close: () => Promise<number | void>): Promise<number> {
  return new Promise((resolve) => {
    const off = onStopSignal(() => {
      off();
      void close().then((code) => resolve(code ?? 0));
    });
  });
}

import { wholeNumber } from '../internal/whole-number.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Like parse, for a command that takes operands (`validate FILE.har`). */
export function parseWithOperands<T extends Options>(
  argv: string[],
  options: T,
  usage: string,
): {
  values: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
  >['values'];
  positionals: string[];
} {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${explain(err as Error & { code?: string }, options)}\n\n${usage}`);
  }
}

export function parse<T extends Options>(
  argv: string[],
  options: T,
  usage: string,
): {
  values: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
  >['values'];
} {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError(`${explain(err as Error & { code?: string }, options)}\n\n${usage}`);
  }
}

/** Node's parseArgs message, with a "did you mean" for a mistyped flag. */
function explain(err: Error & { code?: string }, options: Options): string {
  const unknown = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /'(-{1,2}[^'=]+)/.exec(err.message)?.[1];
  if (!unknown) return err.message;
  const flags = Object.keys(options).map((name) => `--${name}`);
  return `${err.message}.${didYouMean(unknown.startsWith('--') ? unknown : `-${unknown}`, flags)}`;
}

/** A whole-number option from `min` to `max`; otherwise a usage error saying it must be `says`. */
export function wholeNumberOption(
  value: unknown,
  flag: string,
  min: number,
  max: number,
  says = `a whole number from ${min} to ${max}`,
): number | undefined {
  if (value === undefined) return undefined;
  const n = wholeNumber(value, min, max);
  if (n === undefined) throw new UsageError(`${flag} must be ${says}, not ${JSON.stringify(value)}.`);
  return n;
}

export const portOption = (value: string | undefined, fallback: number, name = '--port'): number =>
  wholeNumberOption(value, name, 0, 65535) ?? fallback;

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

import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
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
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
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

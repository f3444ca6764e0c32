import { createRequire } from 'node:module';

/** The installed package's version (package.json sits two levels above dist/cli/ and src/cli/). */
export const version = (): string =>
  (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

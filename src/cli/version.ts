import { readFileSync } from 'node:fs';

/** The installed package's version (package.json sits two levels above dist/cli/ and src/cli/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

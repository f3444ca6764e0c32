// The CLI's first-hour help: --version, "did you mean", and warnings for flags that would do nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedPlan } from '../../src/check/embedded.js';
import { checkFlagWarnings } from '../../src/cli/check-notes.js';
import { closest, levenshtein } from '../../src/cli/suggest.js';
import { root, runCli } from '../check/cli-process.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

const cli = (args: string[]) => runCli(args, { timeout: 30_000 });

describe('live-platform: version and typos', () => {
  it('--version prints the package version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('a mistyped command exits 2 with the command that was meant', async () => {
    const { code, stderr } = await cli(['chek']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "chek". Did you mean "check"?');
  });

  it('a word that is no command gets no guess', async () => {
    const { code, stderr } = await cli(['provision']);
    expect(code).toBe(2);
    expect(stderr).not.toContain('Did you mean');
  });

  it('a mistyped flag exits 2 with the flag that was meant', async () => {
    const { code, stderr } = await cli(['check', '--bsae-url', 'http://127.0.0.1:1']);
    expect(code).toBe(2);
    expect(stderr).toContain(`Unknown option '--bsae-url'. Did you mean "--base-url"?`);
  });

  it('closest() finds typos and not unrelated words', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(closest('sandbx', ['mock', 'check', 'sandbox', 'docs'])).toBe('sandbox');
    expect(closest('--lead-tennat', ['--lead-tenant', '--token'])).toBe('--lead-tenant');
    expect(closest('x', ['mock', 'check'])).toBeUndefined();
  });
});

describe('live-platform check: flags that would do nothing', () => {
  it('a token without a URL is warned about', () => {
    expect(checkFlagWarnings({ token: 't' }, {}).join()).toMatch(/--token is ignored without --base-url/);
    expect(checkFlagWarnings({ token: 't', 'base-url': 'http://x' }, {})).toEqual([]);
  });

  it('--lead-tenant without --allow-writes is warned about, from the flag or the environment', () => {
    const url = { 'base-url': 'http://x', token: 't' };
    expect(checkFlagWarnings({ ...url, 'lead-tenant': 'id' }, {}).join()).toMatch(
      /--lead-tenant does nothing without --allow-writes/,
    );
    expect(checkFlagWarnings(url, { LIVE_PLATFORM_LEAD_TENANT: 'id' }).join()).toMatch(
      /LIVE_PLATFORM_LEAD_TENANT does nothing without --allow-writes/,
    );
    expect(checkFlagWarnings({ ...url, 'lead-tenant': 'id', 'allow-writes': true }, {})).toEqual([]);
  });

  it('the CLI prints the warning on stderr and still runs', async () => {
    const { code, stdout, stderr } = await cli(['check', '--token', 'tok-Zq81-secret', '--only', 'getTask']);
    expect(stderr).toContain('warning: --token is ignored without --base-url');
    expect(stdout + stderr).not.toContain('Zq81'); // the token's value is never echoed
    expect(code).toBe(0);
  }, 60_000);

  it('the embedded plan says which target is skipped and how to enable it', () => {
    const plan = embeddedPlan('auto');
    expect(plan.targets).toContain('the sandbox');
    expect(embeddedPlan(false)).toEqual({
      targets: ['the sandbox'],
      skipped: ['mock: skipped (not requested)'],
    });
  });
});

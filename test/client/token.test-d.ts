import { describe, expectTypeOf, it } from 'vitest';
import {
  clientCredentials,
  createLivePlatformClient,
  type TokenFunction,
  type TokenRequestContext,
  type TokenSource,
} from '../../src/index.js';

describe('token functions: types', () => {
  it('accepts the old zero-argument functions and ones that read forceRefresh', () => {
    const old: TokenSource = () => 't';
    const asyncOld: TokenSource = async () => 't';
    const aware: TokenSource = (context) => (context?.forceRefresh ? 'new' : 'cached');
    createLivePlatformClient({ baseUrl: 'https://x.example', token: old });
    createLivePlatformClient({ baseUrl: 'https://x.example', token: asyncOld });
    createLivePlatformClient({ baseUrl: 'https://x.example', token: aware });
    expectTypeOf<Parameters<TokenFunction>[0]>().toEqualTypeOf<TokenRequestContext | undefined>();
    // @ts-expect-error: a token function returns a string, not an object
    createLivePlatformClient({ baseUrl: 'https://x.example', token: () => ({ token: 't' }) });
  });

  it('clientCredentials() returns a token function and wants all four fields', () => {
    const fn = clientCredentials({
      tokenUrl: 'https://l.example/t',
      clientId: 'a',
      clientSecret: 's',
      scope: 'api://a/.default',
    });
    expectTypeOf(fn).toEqualTypeOf<TokenFunction>();
    createLivePlatformClient({ baseUrl: 'https://x.example', token: fn });
    // @ts-expect-error: scope is required (Entra ID needs api://<app>/.default)
    clientCredentials({ tokenUrl: 'https://l.example/t', clientId: 'a', clientSecret: 's' });
  });
});

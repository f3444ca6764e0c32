import { describe, expect, it } from 'vitest';
import { redact, xmlEscape } from '../../src/check/index.js';
import { excerptOf } from '../../src/check/http.js';
import { redactor, secretForms } from '../../src/internal/redact.js';

describe('src/internal/redact.ts', () => {
  const token = 'Sk7-Vq2Lm9Xw4Rt8Np3Zc';

  it('replaces the token as written, URL-encoded, JSON- and XML-escaped, and in base64', () => {
    const odd = 'a b/c+d"e<f';
    const text = [
      odd,
      encodeURIComponent(odd),
      JSON.stringify(odd),
      'a b/c+d&quot;e&lt;f',
      Buffer.from(odd).toString('base64'),
      Buffer.from(odd).toString('base64url'),
    ].join(' | ');
    const out = redactor([odd])(text);
    expect(out).not.toContain('c+d');
    expect(out).not.toContain(Buffer.from(odd).toString('base64').slice(0, 8));
    expect(out).not.toContain(Buffer.from(odd).toString('base64url').slice(0, 8));
  });

  it('finds the token inside a longer base64 text whatever its byte alignment', () => {
    for (const prefix of ['user:', 'user1:', 'user12:']) {
      const encoded = Buffer.from(`${prefix}${token}`).toString('base64');
      const out = redactor([token])(`Basic ${encoded}`);
      expect(out, prefix).toContain('[redacted]');
      // What is left is the groups that mix the prefix or the end with the token: 2 token bytes at most each.
      expect(out.replace('Basic ', '').replace('[redacted]', '').length).toBeLessThanOrEqual(16);
    }
  });

  it('finds the token as the JUnit report writes it, control characters replaced', () => {
    // XML 1.0 cannot carry most control characters, so the JUnit report writes U+FFFD for them:
    // the XML form to find is the report's own escaping, not a plain one.
    const odd = 'Tk\u0001<q9&Wm';
    const junit = `<failure>${xmlEscape(`echoed ${odd} back`)}</failure>`;
    expect(redact(junit, [odd])).toBe('<failure>echoed [redacted] back</failure>');
  });

  it('redacts a token of any length, a 1-character one too', () => {
    expect(redact('xyz q7~ xyz', ['q7~'])).toBe('xyz [redacted] xyz');
    expect(redact('a-b', ['-'])).toBe('a[redacted]b');
    expect(secretForms([''])).toEqual([]);
  });

  it('is applied before the cut, so a token straddling the excerpt limit leaves nothing behind', () => {
    const body = `${'x'.repeat(1995)}${token}${'y'.repeat(100)}`;
    const naive = excerptOf(body);
    expect(naive).toContain(token.slice(0, 5));
    const safe = excerptOf(redactor([token])(body));
    for (let i = 0; i + 4 <= token.length; i++) expect(safe).not.toContain(token.slice(i, i + 4));
  });
});

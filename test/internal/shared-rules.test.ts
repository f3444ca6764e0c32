import { describe, expect, it } from 'vitest';
import { readAnswerBody } from '../../src/internal/answer-body.js';
import { errorStack, errorText } from '../../src/internal/error-text.js';
import { is2xx } from '../../src/internal/status.js';

describe('readAnswerBody: one reading of an answer for client and checker', () => {
  it('reads JSON and problem+json as JSON', () => {
    expect(readAnswerBody('{"a":1}', 'application/json; charset=utf-8')).toEqual({
      kind: 'json',
      value: { a: 1 },
    });
    expect(readAnswerBody('{"status":400}', 'application/problem+json')).toEqual({
      kind: 'json',
      value: { status: 400 },
    });
  });

  it("keeps ASP.NET's bare text/plain string as text, even when it looks like a JSON number", () => {
    expect(readAnswerBody(' tsk_185510\n', 'text/plain; charset=utf-8')).toEqual({
      kind: 'text',
      value: 'tsk_185510',
    });
    expect(readAnswerBody('185510', 'text/plain')).toEqual({ kind: 'text', value: '185510' });
  });

  it('reads quoted JSON that arrives as text/plain as JSON, and broken JSON there as its text', () => {
    expect(readAnswerBody('"tsk_1"', 'text/plain')).toEqual({ kind: 'json', value: 'tsk_1' });
    expect(readAnswerBody('{broken', 'text/plain')).toEqual({ kind: 'text', value: '{broken' });
  });

  it('calls white space empty and HTML unreadable', () => {
    expect(readAnswerBody(' \n ', 'application/json')).toEqual({ kind: 'empty' });
    expect(readAnswerBody('<html></html>', 'text/html')).toEqual({ kind: 'unreadable' });
  });
});

describe('errorText and is2xx', () => {
  it('puts any thrown value in words without throwing', () => {
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText(new TypeError())).toBe('TypeError');
    expect(errorText('plain')).toBe('plain');
    expect(errorText(undefined)).toBe('undefined');
    expect(errorText({ message: 'from an object' })).toBe('from an object');
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(errorText(hostile)).toBe('[object Object]');
  });

  it('accepts exactly 200 to 299', () => {
    expect([199, 200, 204, 299, 300].map(is2xx)).toEqual([false, true, true, true, false]);
  });
});

describe('errorStack', () => {
  it("gives an Error's stack and any other value's text", () => {
    expect(errorStack(new Error('boom'))).toMatch(/^Error: boom\n\s+at /);
    expect(errorStack(42)).toBe('42');
  });
});

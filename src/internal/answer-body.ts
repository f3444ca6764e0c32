import { mediaTypeOf } from './media-type.js';

/**
 * What an answer's body is, read by its content type:
 * - `empty`: nothing but white space;
 * - `json`: JSON (application/json, problem+json, or JSON that arrives as text/plain);
 * - `text`: a text/plain string, trimmed. ASP.NET's string formatter answers a string result (the
 *   import's task id, `tsk_185510`) unquoted as text/plain when the client accepts it: its text is
 *   the value. Bare text/plain is never parsed as JSON, so a task id of digits stays a string;
 * - `unreadable`: neither (HTML from a proxy, broken JSON); the caller says so or quotes the text.
 * Client and checker both read answers with it; what they do with `unreadable` is theirs.
 */
export type AnswerBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string }
  | { kind: 'unreadable' };

export function readAnswerBody(text: string, contentType: string | null | undefined): AnswerBody {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const textPlain = mediaTypeOf(contentType) === 'text/plain';
  if (textPlain && !/^["{[]/.test(trimmed)) return { kind: 'text', value: trimmed };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return textPlain ? { kind: 'text', value: trimmed } : { kind: 'unreadable' };
  }
}

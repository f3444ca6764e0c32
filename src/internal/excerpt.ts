// Excerpts of bodies a server wrote: bounded, and cut only after redaction (a secret across the cut
// would leave part of itself).

/** Runs of control characters: flattened to a space, so a hostile body cannot forge lines in a log. */
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

/** A body as text: a string as it is, anything else as JSON (or String() when it has none). */
export function textOf(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body) ?? String(body);
  } catch {
    return String(body);
  }
}

/** `text` cut at `max` characters, `...` marking the cut: a value quoted in a message or a view. */
export const clip = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}...` : text;

/** Quotes user input in a message without letting a 60 KiB id into every log and body. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(clip(value, max));
}

export interface ExcerptOptions {
  /** Applied to the whole text before the cut (the caller's redactor). */
  redact?: (text: string) => string;
  /** Flatten control characters to spaces: for one-line error messages. */
  flatten?: boolean;
  /** Say after the ellipsis how long the whole was (reports); `truncatedAt` says it was cut on arrival. */
  sayLength?: boolean;
  /** The body was cut at this many bytes before it got here. */
  truncatedAt?: number;
}

/**
 * At most `max` characters of a body, with `…` when it was longer. Copied, not sliced: V8 keeps a
 * slice's whole parent string alive, a whole body per kept excerpt.
 */
export function excerpt(body: unknown, max: number, options: ExcerptOptions = {}): string {
  let text = textOf(body);
  if (options.redact) text = options.redact(text);
  if (options.flatten) text = text.replace(CONTROLS, ' ');
  const cut = options.truncatedAt !== undefined;
  if (text.length <= max && !cut) return text;
  const head = Buffer.from(text.slice(0, max), 'utf8').toString('utf8');
  if (!options.sayLength) return `${head}…`;
  return `${head}… (${cut ? `more than ${options.truncatedAt} bytes` : `${text.length} characters`})`;
}

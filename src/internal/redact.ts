// A secret must not leave the process in any form a server might echo it in; reports and errors all
// redact here, on whole texts: a cut made first could leave part of a token that no match finds.
import { xmlEscape } from './xml.js';

export const REDACTED = '[redacted]';

/**
 * The secret's base64 inside a longer base64 text (`Basic base64(user:token)`), in each of the three
 * byte alignments: only the 4-character groups of its bytes alone, the same whatever surrounds it.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const first = Math.ceil(pad / 3);
    const last = Math.floor((pad + bytes.length) / 3); // groups [first, last) hold token bytes only
    if (last > first) out.push(encoded.slice(first * 4, last * 4));
  }
  return out;
}

/** Every form of a secret to replace, longest first so that a longer form is not cut by a shorter one. */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    const base64 = Buffer.from(s, 'utf8').toString('base64');
    for (const f of [
      s,
      encodeURIComponent(s),
      encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      // As an HTML form encodes it (a client secret goes in one): `~` as %7E, a space as `+`.
      new URLSearchParams({ s }).toString().slice(2),
      JSON.stringify(s).slice(1, -1),
      xmlEscape(s),
      base64,
      base64.replace(/=+$/, ''),
      base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      ...base64Cores(s),
      ...base64Cores(s).map((c) => c.replace(/\+/g, '-').replace(/\//g, '_')),
    ])
      if (f) forms.add(f);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

export type Redactor = (text: string) => string;

/** An Authorization value: a scheme (an RFC 9110 token such as `Bearer`), spaces, the credential. */
const AUTHORIZATION = /^([A-Za-z][\w!#$%&'*+.^`|~-]*)\s+(\S.*)$/;

/**
 * The secret of an Authorization header's value: what follows its scheme (`Bearer`, `Basic`),
 * trimmed, or the whole value when it names no scheme.
 */
export const credentialOf = (header: string): string => (AUTHORIZATION.exec(header)?.[2] ?? header).trim();

/** The scheme of an Authorization header's value, the one part of it a record may keep. */
export const schemeOf = (header: string): string | undefined => AUTHORIZATION.exec(header)?.[1];

/** A JSON Web Token's shape (base64url header `{"...`): a credential whoever it belongs to. */
const JWT = /eyJ[\w-]{8,}(?:\.[\w-]*){0,2}/g;

/**
 * Blanks every form of the given secrets, however short, and nothing else; `jwts` also blanks any
 * JWT-shaped string, as a server may echo another credential (an id token, a proxy's).
 */
export function redactor(secrets: readonly string[], options: { jwts?: boolean } = {}): Redactor {
  const forms = secretForms(secrets);
  return (text) => {
    let out = text;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return options.jwts ? out.replace(JWT, '[redacted JWT]') : out;
  };
}

// Echoes the bearer token back in every form a careless server might: in a body padded so that
// the token straddles each cut a report makes (300, 1000 and 2000 characters), URL-encoded, in
// base64, and in response headers. A report must hold none of it, not even in part.
import { startConforming, type RunningTestServer } from '../broken/conforming.js';

/** Offsets at which a copy of the token starts, each a few characters before a cut. */
const CUTS = [300, 1000, 2000];

export async function startEchoEverywhere(): Promise<RunningTestServer> {
  return startConforming({
    override: ({ req, res }) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      let text = '';
      for (const cut of CUTS) text += 'x'.repeat(Math.max(0, cut - 3 - text.length)) + token;
      text += ` ${encodeURIComponent(token)} ${Buffer.from(token).toString('base64')} `;
      text += Buffer.from(`user:${token}`).toString('base64');
      // Not JSON, so that offsets in the text are offsets in the body, where the cuts are made.
      res.writeHead(400, {
        'content-type': 'application/problem+json',
        'x-echo': token,
        'www-authenticate': `Bearer error="invalid_token", error_description="${token}"`,
      });
      res.end(text);
      return true;
    },
  });
}

// A server that measures the short name in UTF-16 code units, not characters: a name of at most 15
// characters that holds a character outside the Basic Multilingual Plane (two units) can come out
// longer than 15, and is refused with the 400 for a name that is too long.
import { startFailingOn } from './valid.js';

export const startUtf16ShortName = () =>
  startFailingOn(
    'createEssentialsCustomer',
    (b) => typeof b.shortName === 'string' && b.shortName.length > 15,
    ({ send }) =>
      send(400, {
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { shortName: ['The short name must be 3-15 characters long.'] },
      }),
  );

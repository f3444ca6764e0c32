// A server that builds SQL from the lead conversion's full name: an apostrophe, which the vendor's
// rule allows in a full name (letters, digits, `_`, `'` and space), crashes it (500).
import { startFailingOn } from './valid.js';

export const startLeadFullNameApostrophe = () =>
  startFailingOn(
    'createCustomerFromLead',
    (b) => typeof b.customerFullName === 'string' && b.customerFullName.includes("'"),
  );

// A server whose full-name column holds 199 characters: an Essentials full name of exactly 200
// characters (the contract's limit, which it allows) crashes the insert (500).
import { startFailingOn } from './valid.js';

export const startFullName200 = () =>
  startFailingOn(
    'createEssentialsCustomer',
    (b) => typeof b.fullName === 'string' && [...b.fullName].length === 200,
  );

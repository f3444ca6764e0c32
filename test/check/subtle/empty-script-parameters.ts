// A server that takes the first script parameter without asking whether there is one: an empty
// `scriptParameters` map (allowed: the map has no required key) crashes it (500).
import { startFailingOn } from './valid.js';

export const startEmptyScriptParameters = () =>
  startFailingOn(
    'createEssentialsCustomer',
    (b) =>
      !!b.scriptParameters &&
      typeof b.scriptParameters === 'object' &&
      Object.keys(b.scriptParameters).length === 0,
  );

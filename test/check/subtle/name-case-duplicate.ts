// A server whose duplicate check compares short names exactly while its unique index ignores case
// (SQL Server's default collation): a name created before, sent again in another letter case for
// the same tenant, passes the check and crashes on the index (500) instead of a 409 or a 200.
import { startFailingOn } from './valid.js';

export const startNameCaseDuplicate = () => {
  const created = new Map<string, string>();
  const keyOf = (b: Record<string, unknown>) =>
    `${String(b.msTenantId)}|${String(b.shortName).toLowerCase()}`;
  return startFailingOn('createEssentialsCustomer', (b) => {
    if (typeof b.shortName !== 'string') return false;
    const before = created.get(keyOf(b));
    if (before === undefined) {
      created.set(keyOf(b), b.shortName);
      return false; // the conforming behaviour creates it
    }
    return before !== b.shortName;
  });
};

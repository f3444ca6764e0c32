// A server that loads customer variables into a case-insensitive dictionary (.NET's
// StringComparer.OrdinalIgnoreCase): two variables whose names differ only in letter case, both
// valid JSON members, throw on the duplicate key (500).
import { schemaPropertyNames } from '../../../src/contract/index.js';
import { startFailingOn } from './valid.js';

const DECLARED = schemaPropertyNames('CreateEssentialsCustomerRequest');

export const variableKeys = (b: Record<string, unknown>) => Object.keys(b).filter((k) => !DECLARED.has(k));

export const hasCaseTwins = (keys: string[]) => new Set(keys.map((k) => k.toLowerCase())).size < keys.length;

export const startVariableKeyCase = () =>
  startFailingOn('createEssentialsCustomer', (b) => hasCaseTwins(variableKeys(b)));

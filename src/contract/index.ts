export * from './operations.js';
export * from './validation.js';
export * from './spec.js';

/** A uuid in its canonical 8-4-4-4-12 hex form (no `urn:uuid:` prefix, unlike Ajv's `uuid` format). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

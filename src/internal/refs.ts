// JSON pointers and local `$ref`s of the bundled contract, followed one way by the checker and the
// sandbox. (scripts/spec-walk.mjs walks the spec at generate time, before any TypeScript is built.)

/** The value at a JSON pointer (`/components/schemas/Task`, `~1` and `~0` unescaped), or undefined. */
export function atPointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** The most `$ref` hops followed: a longer chain (a cycle) resolves to nothing. */
const MAX_HOPS = 20;

/**
 * The object a node stands for: itself, or what its local `$ref` (`#/...`, chains too) names in
 * `doc`. Undefined for a remote `$ref`, a dangling one, or a cycle.
 */
export function resolveRef(doc: unknown, node: unknown): Record<string, unknown> | undefined {
  let current = node;
  for (let hops = 0; current && typeof current === 'object'; hops++) {
    const ref = (current as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string') return current as Record<string, unknown>;
    if (!ref.startsWith('#/') || hops >= MAX_HOPS) return undefined;
    current = atPointer(doc, ref.slice(1));
  }
  return undefined;
}

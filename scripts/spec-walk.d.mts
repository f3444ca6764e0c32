// Types of what src/ imports from spec-walk.mjs (the one `$ref` walker).
/** RFC 9110's safe methods among those a contract can hold: they change no state. */
export declare const SAFE_METHODS: readonly string[];
export declare function unescapeToken(token: string): string;
export declare function atPointer(doc: unknown, pointer: string): unknown;
export declare function resolveRef(doc: unknown, node: unknown): Record<string, unknown> | undefined;

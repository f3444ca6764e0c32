// Types of what src/ imports from spec-walk.mjs (the one `$ref` walker).
export declare function unescapeToken(token: string): string;
export declare function atPointer(doc: unknown, pointer: string): unknown;
export declare function resolveRef(doc: unknown, node: unknown): Record<string, unknown> | undefined;

// Ajv's errors in the project's words, for the client, the checker and the contract's validators
// (the sandbox's ASP.NET-style `errors` map uses `memberOf`).

/** The fields of an Ajv error this reads (the standalone validators' errors have them all). */
export interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  propertyName?: string;
  schemaPath?: string;
}

/** A validation failure, with the JSON path of the offending value (`/executionMessages/0/level`). */
export interface ValidationIssue {
  /** JSON pointer of the offending value; a missing or unexpected member is named in it (`/details`). */
  path: string;
  message: string;
  /** The JSON-Schema keyword that failed (`pattern`, `required`, ...). */
  keyword?: string;
  /**
   * Where the keyword sits (`#/components/...` or `openapi.json#/...` in the bundled contract, `#/...`
   * inside the validated schema): what evidence the broken rule rests on (src/check/evidence.ts).
   */
  schemaPath?: string;
}

/** The member an error is about, when the instance path stops at its parent: missing, unexpected, a bad name. */
export function memberOf(e: AjvError): string | undefined {
  const p = e.params;
  const member = e.propertyName ?? p.missingProperty ?? p.additionalProperty ?? p.unevaluatedProperty;
  return member === undefined ? undefined : String(member);
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Ajv's errors as issues: the path down to the member, Ajv's message, and an enum's allowed values. */
export function issuesOf(errors: readonly AjvError[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((e) => {
    const member = memberOf(e);
    const extra =
      e.keyword === 'enum'
        ? `: ${JSON.stringify((e.params as { allowedValues?: unknown[] }).allowedValues)}`
        : '';
    return {
      path: member === undefined ? e.instancePath || '/' : `${e.instancePath}/${escapePointer(member)}`,
      message: `${e.message ?? e.keyword}${extra}`,
      keyword: e.keyword,
      ...(e.schemaPath !== undefined ? { schemaPath: e.schemaPath } : {}),
    };
  });
}

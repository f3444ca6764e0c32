// The one place that walks the bundled spec: its operations (generate.mjs turns them into
// generated/operations.json and the validator names) and its `$ref`s, which the checker's and the
// sandbox's schema readers follow at run time too (typed by spec-walk.d.mts). Plain JS, so that
// `npm run generate` runs on Node 20 before anything is built.
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** RFC 9110's safe methods among those a contract can hold: they change no state. */
export const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
/** A JSON pointer token unescaped (RFC 6901): `~1` as `/`, `~0` as `~`. */
export const unescapeToken = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** The value at a JSON pointer (`/components/schemas/Task`, `~1` and `~0` unescaped), or undefined. */
export const atPointer = (doc, pointer) =>
  pointer
    .split('/')
    .slice(1)
    .reduce((node, raw) => (node && typeof node === 'object' ? node[unescapeToken(raw)] : undefined), doc);

/** The most `$ref` hops followed: a longer chain (a cycle) resolves to nothing. */
const MAX_HOPS = 20;

/**
 * [the object a node stands for, its JSON pointer]: the node itself, or what its local `$ref`
 * (`#/...`, chains too) names. Undefined for a remote `$ref`, a dangling one, or a cycle.
 */
function follow(spec, node, pointer) {
  for (let hops = 0; node && typeof node === 'object'; hops++) {
    if (typeof node.$ref !== 'string') return [node, pointer];
    if (!node.$ref.startsWith('#/') || hops >= MAX_HOPS) return undefined;
    pointer = node.$ref.slice(1);
    node = atPointer(spec, pointer);
  }
  return undefined;
}

/** The object a node stands for (see follow), for the runtime's schema readers; undefined if none. */
export const resolveRef = (spec, node) => follow(spec, node, '')?.[0];

/** follow() for generate time: a value that is no `$ref` as it is; a `$ref` it cannot follow throws. */
export function deref(spec, node, pointer) {
  if (typeof node?.$ref !== 'string') return [node, pointer];
  const found = follow(spec, node, pointer);
  if (!found) throw new Error(`unsupported $ref ${node.$ref}`);
  return found;
}

const ident = (s) => s.replace(/[^A-Za-z0-9_]/g, '_');

export function operationsOf(spec) {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const base = `/paths/${esc(path)}/${method}`;
      const id = op.operationId;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p, i) => {
        const [param, ptr] = deref(spec, p, `${base}/parameters/${i}`);
        const [schema] = deref(spec, param.schema, `${ptr}/schema`);
        return {
          name: param.name,
          in: param.in,
          required: Boolean(param.required),
          type: schema?.type ?? 'string',
          schemaPointer: `${ptr}/schema`,
        };
      });
      let requestBody = null;
      if (op.requestBody) {
        const [rb, ptr] = deref(spec, op.requestBody, `${base}/requestBody`);
        requestBody = {
          required: Boolean(rb.required),
          mediaTypes: Object.keys(rb.content ?? {}),
          schemaPointer: `${ptr}/content/${esc(Object.keys(rb.content)[0])}/schema`,
          validator: ident(`${id}_request`),
          examples: Object.keys(Object.values(rb.content)[0].examples ?? {}),
        };
      }
      const responses = {};
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const [res, ptr] = deref(spec, r, `${base}/responses/${status}`);
        const mediaTypes = Object.keys(res.content ?? {});
        const headers = {};
        for (const [h, hv] of Object.entries(res.headers ?? {})) {
          const [header, hptr] = deref(spec, hv, `${ptr}/headers/${esc(h)}`);
          headers[h.toLowerCase()] = { required: Boolean(header.required), schemaPointer: `${hptr}/schema` };
        }
        responses[status] = {
          mediaTypes,
          schemaPointer: mediaTypes.length ? `${ptr}/content/${esc(mediaTypes[0])}/schema` : null,
          validator: mediaTypes.length ? ident(`${id}_${status}`) : null,
          headers,
          headersValidator: Object.keys(headers).length ? ident(`${id}_${status}_headers`) : null,
          // A text/plain body (the import's unquoted task id) is checked as a JSON string.
          textValidator: res.content?.['text/plain']?.schema ? ident(`${id}_${status}_text`) : null,
          // `x-empty-body: true` (ASP.NET's JwtBearer 401): no body at all is conformant too.
          emptyBodyAllowed: res['x-empty-body'] === true,
          // Every media type's named examples (the import's text/plain id too).
          examples: mediaTypes.flatMap((m) => Object.keys(res.content[m].examples ?? {})),
        };
      }
      ops.push({
        operationId: id,
        method: method.toUpperCase(),
        path,
        tags: op.tags ?? [],
        summary: op.summary ?? '',
        secured: (op.security ?? spec.security ?? []).length > 0,
        // Changes no state, so it may be resent: a safe method, or `x-safe: true` (verifyLcCustomer
        // is a read the vendor serves with PUT). The one rule of the client's retries and the checker.
        safe: SAFE_METHODS.includes(method.toUpperCase()) || op['x-safe'] === true,
        parameters: params,
        paramsValidator: params.length ? ident(`${id}_params`) : null,
        requestBody,
        responses,
      });
    }
  }
  return ops;
}

/** Every validator generate.mjs compiles: its export name and the schema it checks. */
export function validatorKeys(spec) {
  const ref = (pointer) => ({ $ref: `openapi.json#${pointer}` });
  const keys = [];
  for (const op of operationsOf(spec)) {
    if (op.paramsValidator) {
      keys.push({
        name: op.paramsValidator,
        describe: `${op.operationId}: path and query parameters (after string-to-number coercion)`,
        schema: {
          type: 'object',
          properties: Object.fromEntries(op.parameters.map((p) => [p.name, ref(p.schemaPointer)])),
          required: op.parameters.filter((p) => p.required).map((p) => p.name),
        },
      });
    }
    if (op.requestBody) {
      keys.push({
        name: op.requestBody.validator,
        describe: `${op.operationId}: request body`,
        schema: ref(op.requestBody.schemaPointer),
      });
    }
    for (const [status, r] of Object.entries(op.responses)) {
      if (r.validator) {
        keys.push({
          name: r.validator,
          describe: `${op.operationId}: ${status} response body`,
          schema: ref(r.schemaPointer),
        });
      }
      if (r.textValidator) {
        keys.push({
          name: r.textValidator,
          describe: `${op.operationId}: ${status} text/plain response body (the text as a string)`,
          schema: ref(
            `${r.schemaPointer.replace(/\/content\/[^/]+\/schema$/, '')}/content/text~1plain/schema`,
          ),
        });
      }
      if (r.headersValidator) {
        keys.push({
          name: r.headersValidator,
          describe: `${op.operationId}: ${status} response headers (lower-case names)`,
          schema: {
            type: 'object',
            properties: Object.fromEntries(
              Object.entries(r.headers).map(([h, v]) => [h, ref(v.schemaPointer)]),
            ),
            required: Object.entries(r.headers)
              .filter(([, v]) => v.required)
              .map(([h]) => h),
          },
        });
      }
    }
  }
  return keys;
}

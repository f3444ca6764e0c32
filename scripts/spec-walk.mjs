// The one place that walks the bundled spec's operations. generate.mjs turns the result into
// generated/operations.json and the validator names, so nothing at run time walks the spec again.
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follows a local `$ref` and returns [resolved object, its JSON pointer]. */
export function deref(spec, node, pointer) {
  let seen = 0;
  while (node && typeof node.$ref === 'string') {
    if (!node.$ref.startsWith('#/') || ++seen > 20) throw new Error(`unsupported $ref ${node.$ref}`);
    pointer = node.$ref.slice(1);
    node = pointer
      .split('/')
      .slice(1)
      .reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return [node, pointer];
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
        pathPattern: `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, '(?<$1>[^/]+)')}$`,
        tags: op.tags ?? [],
        summary: op.summary ?? '',
        secured: (op.security ?? spec.security ?? []).length > 0,
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

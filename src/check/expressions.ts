// The Arazzo runtime expressions and success criteria that spec/workflows uses, evaluated against
// the answers a workflow got so far.
import type { Criterion, ExpressionScope } from './types.js';

/** The value at a JSON pointer (`/outputData/umpCustomerGuid`), or undefined. */
export const pointer = (value: unknown, ptr: string): unknown =>
  ptr
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );

/** The runtime expressions the workflows use: $inputs.x, $steps.s.outputs.y, $statusCode, $response.body[#/ptr]. */
export function evaluate(expression: unknown, scope: ExpressionScope): unknown {
  if (typeof expression !== 'string' || !expression.startsWith('$')) return expression;
  if (expression === '$statusCode') return scope.statusCode;
  if (expression.startsWith('$inputs.')) return scope.inputs[expression.slice(8)];
  const step = /^\$steps\.([^.]+)\.outputs\.(.+)$/.exec(expression);
  if (step) return scope.steps[step[1]!]?.[step[2]!];
  if (expression === '$response.body') return scope.body;
  if (expression.startsWith('$response.body#')) return pointer(scope.body, expression.slice(15));
  return undefined;
}

const COMPARE: Record<string, (a: never, b: never) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
};

/** `$.details[0]` -> `/details/0`. */
const jsonPathPointer = (path: string) =>
  path
    .slice(1)
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/');

function comparison(text: string, c: Criterion, scope: ExpressionScope): boolean {
  const m = /^\s*(\S+)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$/.exec(text);
  if (!m) return false;
  const left =
    c.type === 'jsonpath' && m[1]!.startsWith('$.')
      ? pointer(evaluate(c.context ?? '$response.body', scope), jsonPathPointer(m[1]!))
      : evaluate(m[1], scope);
  const literal = m[3]!.replace(/^'(.*)'$/, '$1');
  const right = /^-?\d+$/.test(literal) ? Number(literal) : literal;
  // An ordering between a number and anything else (a missing status) does not hold.
  if (!m[2]!.endsWith('=') || m[2] === '>=' || m[2] === '<=')
    if (typeof left !== 'number' || typeof right !== 'number') return false;
  return COMPARE[m[2]!]!(left as never, right as never);
}

/**
 * `$statusCode == 200`, `$statusCode >= 400 && $statusCode < 500`, and jsonpath conditions on the
 * body such as `$.status == 'CompletedSuccess'` or `$.details[0] == 'CustomerAlreadyConverted'`.
 */
export function holds(c: Criterion, scope: ExpressionScope): boolean {
  return c.condition.split('&&').every((part) => comparison(part, c, scope));
}

/** Whether a criterion is about the status code alone. */
export const isStatusCriterion = (c: Criterion) => c.condition.trim().startsWith('$statusCode');

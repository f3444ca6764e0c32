// The Arazzo runtime expressions and success criteria that spec/workflows uses, evaluated against
// the answers a workflow got so far.
import { atPointer } from '../../scripts/spec-walk.mjs';
import type { Criterion, ExpressionScope } from './types.js';

/** The runtime expressions the workflows use: $inputs.x, $steps.s.outputs.y, $statusCode, $response.body[#/ptr]. */
export function evaluate(expression: unknown, scope: ExpressionScope): unknown {
  if (typeof expression !== 'string' || !expression.startsWith('$')) return expression;
  if (expression === '$statusCode') return scope.statusCode;
  if (expression.startsWith('$inputs.')) return scope.inputs[expression.slice(8)];
  const step = stepOutput(expression);
  if (step) return scope.steps[step[0]]?.[step[1]];
  const pointer = bodyPointer(expression);
  return pointer === undefined ? undefined : atPointer(scope.body, pointer);
}

/** `$steps.<step>.outputs.<name>`: the step and the output's name. */
export const stepOutput = (expression: string) =>
  /^\$steps\.([^.]+)\.outputs\.(.+)$/.exec(expression)?.slice(1) as [string, string] | undefined;

/** `$response.body[#/pointer]`: the JSON pointer into the answer ('' is the whole body). */
export function bodyPointer(expression: string): string | undefined {
  const body = /^\$response\.body(?:#(.*))?$/.exec(expression);
  return body ? (body[1] ?? '') : undefined;
}

const COMPARE: Record<string, (a: never, b: never) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
};

function comparison(text: string, c: Criterion, scope: ExpressionScope): boolean {
  const [, lhs, op, rhs] = /^\s*(\S+)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$/.exec(text) ?? [];
  if (!lhs || !op || !rhs) return false;
  // A jsonpath `$.details[0]` reads the context (the body by default) at `/details/0`.
  const left =
    c.type === 'jsonpath' && lhs.startsWith('$.')
      ? atPointer(
          evaluate(c.context ?? '$response.body', scope),
          lhs
            .slice(1)
            .replace(/\[(\d+)\]/g, '.$1')
            .split('.')
            .join('/'),
        )
      : evaluate(lhs, scope);
  const literal = rhs.replace(/^'(.*)'$/, '$1');
  const right = /^-?\d+$/.test(literal) ? Number(literal) : literal;
  // An ordering between a number and anything else (a missing status) does not hold.
  if (op !== '==' && op !== '!=' && (typeof left !== 'number' || typeof right !== 'number')) return false;
  return COMPARE[op]!(left as never, right as never);
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

import type { Value } from './values';
import {
  EvaluationError,
  TESTS,
  Undefined,
  applyFilter,
  contains,
  equals,
  order,
  requireDefined,
  textOf,
  truthy,
} from './values';
import type { Expression } from './expressions';
import type { RenderLimits } from './renderTemplate';
// Evaluation of expressions against the template's variables.

export interface Scope {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sets: Map<string, Value>;
  readonly used: Map<string, string>;
  readonly limits: RenderLimits;
}

function lookup(name: string, scope: Scope): Value {
  if (scope.sets.has(name)) return scope.sets.get(name) as Value;
  if (Object.prototype.hasOwnProperty.call(scope.env, name)) {
    const value = scope.env[name];
    if (typeof value === 'string') {
      scope.used.set(name, value);
      return value;
    }
  }
  return new Undefined([name]);
}

export function evaluate(expression: Expression, scope: Scope): Value {
  switch (expression.type) {
    case 'literal':
      return expression.value;
    case 'name':
      return lookup(expression.name, scope);
    case 'list':
      return expression.items.map((item) => evaluate(item, scope));
    case 'filter': {
      const value = evaluate(expression.target, scope);
      const args = expression.args.map((a) => evaluate(a, scope));
      const keywords = new Map(
        [...expression.keywords].map(([k, v]) => [k, evaluate(v, scope)] as const),
      );
      return applyFilter(expression.name, value, args, keywords, scope.limits);
    }
    case 'test': {
      const value = evaluate(expression.target, scope);
      if (expression.name !== 'defined' && expression.name !== 'undefined') {
        requireDefined(`the test ${expression.name}`, value);
      }
      const result = (TESTS.get(expression.name) as (v: Value) => boolean)(value);
      return expression.negated ? !result : result;
    }
    case 'not':
      return !truthy(evaluate(expression.operand, scope));
    case 'and': {
      const left = evaluate(expression.left, scope);
      return truthy(left) ? evaluate(expression.right, scope) : left;
    }
    case 'or': {
      const left = evaluate(expression.left, scope);
      return truthy(left) ? left : evaluate(expression.right, scope);
    }
    case 'concat': {
      const parts = expression.parts.map((p) => evaluate(p, scope));
      requireDefined("'~'", ...parts);
      const text = parts.map(textOf).join('');
      if (text.length > scope.limits.maxLength) {
        throw new EvaluationError(
          `'~' would make a text of more than ${scope.limits.maxLength} characters (the limit maxBytes)`,
        );
      }
      return text;
    }
    case 'compare': {
      let left = evaluate(expression.first, scope);
      for (const { op, operand } of expression.rest) {
        const right = evaluate(operand, scope);
        let result: boolean;
        if (op === '==') result = equals(left, right);
        else if (op === '!=') result = !equals(left, right);
        else if (op === 'in') result = contains(right, left);
        else if (op === 'not in') result = !contains(right, left);
        else result = order(op as '<' | '<=' | '>' | '>=', left, right);
        if (!result) return false;
        left = right;
      }
      return true;
    }
    case 'conditional':
      if (truthy(evaluate(expression.condition, scope))) return evaluate(expression.then, scope);
      return expression.otherwise === undefined
        ? new Undefined([], 'an inline if without else')
        : evaluate(expression.otherwise, scope);
  }
}

export function missingMessage(name: string): string {
  return `the variable ${name} is not defined: set it in the environment or give a default ({{ ${name} | default('...') }})`;
}

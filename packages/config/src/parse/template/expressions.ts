import type { Value } from './values';
import { FILTERS, FILTER_ALIASES, PyFloat, TESTS } from './values';
import type { Token } from './lexTag';
import { ALLOWED, TemplateSyntaxError } from './lexTag';

/** How deep expressions (parentheses, filters' arguments) and `{% if %}` blocks may nest. */
export const MAX_TEMPLATE_NESTING = 64;
// Parsing: tokens into expressions.

export type Expression =
  | { readonly type: 'literal'; readonly value: Value }
  | { readonly type: 'name'; readonly name: string; readonly line: number }
  | { readonly type: 'list'; readonly items: readonly Expression[] }
  | {
      readonly type: 'filter';
      readonly name: string;
      readonly target: Expression;
      readonly args: readonly Expression[];
      readonly keywords: ReadonlyMap<string, Expression>;
      readonly line: number;
    }
  | {
      readonly type: 'test';
      readonly name: string;
      readonly target: Expression;
      readonly negated: boolean;
      readonly line: number;
    }
  | { readonly type: 'not'; readonly operand: Expression }
  | { readonly type: 'and' | 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly type: 'concat'; readonly parts: readonly Expression[]; readonly line: number }
  | {
      readonly type: 'compare';
      readonly first: Expression;
      readonly rest: readonly { readonly op: string; readonly operand: Expression }[];
      readonly line: number;
    }
  | {
      readonly type: 'conditional';
      readonly then: Expression;
      readonly condition: Expression;
      readonly otherwise?: Expression;
    };

export const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'true',
  'false',
  'none',
]);
export const LITERAL_NAMES: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['none', null],
  ['None', null],
]);

/** A token as a message shows it: at most 40 characters (a string literal may be long). */
function shown(token: Token): string {
  return token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
}

export function refusal(what: string): string {
  return `${what} is not allowed: ${ALLOWED}`;
}

export class ExpressionParser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fallbackLine: number,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private lineHere(): number {
    return this.peek()?.line ?? this.tokens.at(-1)?.line ?? this.fallbackLine;
  }

  private fail(message: string): never {
    throw new TemplateSyntaxError(message, this.lineHere());
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'op' && token.text === text;
  }

  private isName(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'name' && token.text === text;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) {
      this.fail(`expected '${text}'${this.describeNext()}`);
    }
    this.index += 1;
  }

  private describeNext(): string {
    const token = this.peek();
    return token === undefined ? ' before the end of the tag' : `, found '${shown(token)}'`;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  /** The next token, if it is a name, consumed. */
  takeName(): string | undefined {
    const token = this.peek();
    if (token?.kind !== 'name') return undefined;
    this.index += 1;
    return token.text;
  }

  takeOp(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.index += 1;
    return true;
  }

  expectEnd(what: string): void {
    if (!this.atEnd()) this.refuseHere(what);
  }

  /** Refuses the construct at the current token, naming it. */
  private refuseHere(context: string): never {
    const token = this.peek();
    if (token === undefined) this.fail(`${context}: unexpected end of the tag`);
    if (token.kind === 'op') {
      const what: Record<string, string> = {
        '.': 'attribute access (.)',
        '[': 'index access ([ ])',
        '(': 'a call',
        '+': 'arithmetic (+)',
        '-': 'arithmetic (-)',
        '*': 'arithmetic (*)',
        '**': 'arithmetic (**)',
        '/': 'arithmetic (/)',
        '//': 'arithmetic (//)',
        '%': 'arithmetic (%)',
        '{': 'a dictionary',
        '=': 'an assignment',
      };
      const named = what[token.text];
      if (named !== undefined) this.fail(refusal(named));
    }
    this.fail(`${context === '' ? '' : `${context}: `}unexpected '${shown(token)}'`);
  }

  parseExpression(): Expression {
    this.depth += 1;
    if (this.depth > MAX_TEMPLATE_NESTING) {
      this.fail(`the expression nests more than ${MAX_TEMPLATE_NESTING} levels deep`);
    }
    try {
      const then = this.parseOr();
      if (this.isName('if')) {
        this.index += 1;
        const condition = this.parseOr();
        if (this.isName('else')) {
          this.index += 1;
          return { type: 'conditional', then, condition, otherwise: this.parseExpression() };
        }
        return { type: 'conditional', then, condition };
      }
      return then;
    } finally {
      this.depth -= 1;
    }
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    while (this.isName('or')) {
      this.index += 1;
      left = { type: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    while (this.isName('and')) {
      this.index += 1;
      left = { type: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expression {
    if (this.isName('not')) {
      this.index += 1;
      this.depth += 1;
      if (this.depth > MAX_TEMPLATE_NESTING) {
        this.fail(`the expression nests more than ${MAX_TEMPLATE_NESTING} levels deep`);
      }
      try {
        return { type: 'not', operand: this.parseNot() };
      } finally {
        this.depth -= 1;
      }
    }
    return this.parseCompare();
  }

  private parseCompare(): Expression {
    const line = this.lineHere();
    const first = this.parseConcat();
    const rest: { op: string; operand: Expression }[] = [];
    for (;;) {
      const token = this.peek();
      if (token?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) {
        this.index += 1;
        rest.push({ op: token.text, operand: this.parseConcat() });
      } else if (this.isName('in')) {
        this.index += 1;
        rest.push({ op: 'in', operand: this.parseConcat() });
      } else if (this.isName('not') && this.isName('in', 1)) {
        this.index += 2;
        rest.push({ op: 'not in', operand: this.parseConcat() });
      } else break;
    }
    return rest.length === 0 ? first : { type: 'compare', first, rest, line };
  }

  private parseConcat(): Expression {
    const line = this.lineHere();
    const parts = [this.parseFiltered()];
    while (this.isOp('~')) {
      this.index += 1;
      parts.push(this.parseFiltered());
    }
    return parts.length === 1 ? (parts[0] as Expression) : { type: 'concat', parts, line };
  }

  private parseFiltered(): Expression {
    let target = this.parsePrimary();
    for (;;) {
      if (this.isOp('|')) {
        this.index += 1;
        const line = this.lineHere();
        const name = this.takeName();
        if (name === undefined)
          this.fail(`expected a filter's name after '|'${this.describeNext()}`);
        if (!FILTERS.has(name) && !FILTER_ALIASES.has(name)) {
          this.fail(refusal(`the filter ${name}`));
        }
        const args: Expression[] = [];
        const keywords = new Map<string, Expression>();
        if (this.takeOp('(')) {
          this.depth += 1;
          if (this.depth > MAX_TEMPLATE_NESTING) {
            this.fail(`the expression nests more than ${MAX_TEMPLATE_NESTING} levels deep`);
          }
          while (!this.isOp(')')) {
            const keyword = this.peek();
            if (keyword?.kind === 'name' && this.isOp('=', 1)) {
              this.index += 2;
              keywords.set(keyword.text, this.parseExpression());
            } else {
              if (keywords.size > 0) this.fail(`${name}: a positional argument after a named one`);
              args.push(this.parseExpression());
            }
            if (!this.takeOp(',')) break;
          }
          this.expectOp(')');
          this.depth -= 1;
        }
        target = { type: 'filter', name, target, args, keywords, line };
      } else if (this.isName('is')) {
        this.index += 1;
        const line = this.lineHere();
        const negated = this.isName('not');
        if (negated) this.index += 1;
        const name = this.takeName();
        if (name === undefined)
          this.fail(`expected a test's name after 'is'${this.describeNext()}`);
        if (!TESTS.has(name)) {
          this.fail(
            `the test ${name} is not allowed: the tests are ${[...TESTS.keys()].join(', ')}`,
          );
        }
        if (this.isOp('(')) this.fail(refusal(`a test with arguments (${name}(...))`));
        target = { type: 'test', name, target, negated, line };
      } else if (this.isOp('.') || this.isOp('[') || this.isOp('(')) {
        this.refuseHere('');
      } else return target;
    }
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    if (token === undefined) this.fail('expected a value before the end of the tag');
    if (token.kind === 'string') {
      this.index += 1;
      let value = token.value as string;
      // Adjacent strings join, as in Jinja ('a' 'b').
      while (this.peek()?.kind === 'string') {
        value += (this.peek() as Token).value as string;
        this.index += 1;
      }
      return { type: 'literal', value };
    }
    if (token.kind === 'int' || token.kind === 'float') {
      this.index += 1;
      return { type: 'literal', value: token.value as Value };
    }
    if (token.kind === 'op' && token.text === '-') {
      const next = this.peek(1);
      if (next?.kind === 'int' || next?.kind === 'float') {
        this.index += 2;
        const v = next.value as bigint | PyFloat;
        return {
          type: 'literal',
          value: typeof v === 'bigint' ? -v : new PyFloat(-v.value),
        };
      }
      this.refuseHere('');
    }
    if (token.kind === 'name') {
      const literal = LITERAL_NAMES.get(token.text);
      if (literal !== undefined) {
        this.index += 1;
        return { type: 'literal', value: literal };
      }
      if (KEYWORDS.has(token.text)) this.fail(`unexpected '${token.text}'`);
      this.index += 1;
      return { type: 'name', name: token.text, line: token.line };
    }
    if (this.takeOp('(')) {
      const inner = this.parseExpression();
      if (this.isOp(',')) this.fail(refusal('a tuple'));
      this.expectOp(')');
      return inner;
    }
    if (this.takeOp('[')) {
      const items: Expression[] = [];
      while (!this.isOp(']')) {
        items.push(this.parseExpression());
        if (!this.takeOp(',')) break;
      }
      this.expectOp(']');
      return { type: 'list', items };
    }
    this.refuseHere('expected a value');
  }
}

/** Whether an expression is a literal (a `{% set %}` may give only one). */
export function isLiteral(expression: Expression): boolean {
  if (expression.type === 'literal') return true;
  return expression.type === 'list' && expression.items.every(isLiteral);
}

import type { Value, ValueBounds } from './templateValues';
import {
  EvaluationError,
  FILTER_ALIASES,
  FILTERS,
  PyFloat,
  TESTS,
  Undefined,
  applyFilter,
  contains,
  equals,
  order,
  requireDefined,
  textOf,
  truthy,
} from './templateValues';

/** A value the template output, kept out of the YAML text: `name` is what stands for it in messages. */
export interface Substitution {
  readonly name: string;
  readonly value: string;
}

/** A problem of the template itself: a missing variable, a refused construct, a syntax error. */
export interface TemplateProblem {
  readonly line?: number;
  readonly message: string;
}

/** The rendered text, in which every output value stands as a token, and the tokens. */
export interface RenderedTemplate {
  readonly text: string;
  readonly tokens: ReadonlyMap<string, Substitution>;
  /** Every value that must not reach a message: the outputs and the variables they used. */
  readonly secrets: readonly Substitution[];
  readonly problems: readonly TemplateProblem[];
  /** The template's line of each line of `text` (index 0: line 1). */
  readonly sourceLines: readonly number[];
}

/** Bounds of rendering. */
export type RenderLimits = ValueBounds;

// Private-use characters: YAML keeps them inside any scalar, plain or quoted, so a token survives
// parsing untouched and is replaced by its value afterwards.
const TOKEN_OPEN = '\uE000';
const TOKEN_CLOSE = '\uE001';
/** Matches one token in rendered text. */
export const TOKEN_PATTERN = /\uE000([0-9a-z]+)\uE001/g;

/** How deep expressions (parentheses, filters' arguments) and `{% if %}` blocks may nest. */
export const MAX_TEMPLATE_NESTING = 64;

const FILTER_NAMES = [...FILTERS.keys(), ...FILTER_ALIASES.keys()].join(', ');
const ALLOWED =
  'a configuration template reaches only the variables of env, literals, the filters ' +
  `${FILTER_NAMES}, comparisons, and, or, not, in, is, ~, and the tags if/elif/else/endif, ` +
  'set (of a literal), raw and comments';

// ---------------------------------------------------------------------------------------------
// Lexing: the expression of a {{ }} or {% %}, into tokens.

type TokenKind = 'name' | 'string' | 'int' | 'float' | 'op';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value?: Value;
  readonly line: number;
}

class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const OPERATORS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '~',
  '|',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  ':',
];

const STRING_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

interface LexedTag {
  readonly tokens: readonly Token[];
  /** The position after the closing delimiter. */
  readonly end: number;
  readonly endLine: number;
  /** `-}}` or `-%}`: strip the whitespace that follows. */
  readonly trimAfter: boolean;
}

/** Lexes from `position` (after `{{` or `{%`) to the closing `}}` or `%}`. */
function lexTag(source: string, start: number, startLine: number, close: '}}' | '%}'): LexedTag {
  const tokens: Token[] = [];
  let p = start;
  let line = startLine;
  while (p < source.length) {
    const c = source[p] as string;
    if (c === '\n') {
      line += 1;
      p += 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      p += 1;
      continue;
    }
    if (source.startsWith(close, p)) {
      return { tokens, end: p + 2, endLine: line, trimAfter: false };
    }
    if (c === '-' && source.startsWith(close, p + 1)) {
      return { tokens, end: p + 3, endLine: line, trimAfter: true };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(p, p + 256));
    if (name !== null) {
      tokens.push({ kind: 'name', text: name[0], line });
      p += name[0].length;
      continue;
    }
    const number = /^(?:[0-9](?:_?[0-9])*)?(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9]+)?/.exec(
      source.slice(p, p + 256),
    )?.[0];
    if (number !== undefined && /^[0-9.]/.test(number) && /[0-9]/.test(number)) {
      const isFloat = /[.eE]/.test(number);
      const digits = number.replace(/_/g, '');
      tokens.push({
        kind: isFloat ? 'float' : 'int',
        text: number,
        value: isFloat ? new PyFloat(Number(digits)) : BigInt(digits),
        line,
      });
      p += number.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const quoteLine = line;
      let value = '';
      let q = p + 1;
      for (;;) {
        const d = source[q];
        if (d === undefined) throw new TemplateSyntaxError('a string is not closed', quoteLine);
        if (d === c) break;
        if (d === '\n') line += 1;
        if (d === '\\') {
          const e = source[q + 1];
          if (e === undefined) throw new TemplateSyntaxError('a string is not closed', quoteLine);
          if (e === '\n') line += 1;
          const escaped = Object.hasOwn(STRING_ESCAPES, e) ? STRING_ESCAPES[e] : undefined;
          value += escaped ?? `\\${e}`;
          q += 2;
          continue;
        }
        value += d;
        q += 1;
      }
      tokens.push({ kind: 'string', text: source.slice(p, q + 1), value, line: quoteLine });
      p = q + 1;
      continue;
    }
    const operator = OPERATORS.find((o) => source.startsWith(o, p));
    if (operator !== undefined) {
      tokens.push({ kind: 'op', text: operator, line });
      p += operator.length;
      continue;
    }
    throw new TemplateSyntaxError(
      `unexpected character ${JSON.stringify(c)} in a ${close === '}}' ? '{{ }}' : '{% %}'}`,
      line,
    );
  }
  throw new TemplateSyntaxError(
    `a ${close === '}}' ? '{{' : '{%'} is not closed (no ${close} before the end of the file)`,
    startLine,
  );
}

// ---------------------------------------------------------------------------------------------
// Parsing: tokens into expressions, segments into a tree of blocks.

type Expression =
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

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'true', 'false', 'none']);
const LITERAL_NAMES: ReadonlyMap<string, Value> = new Map<string, Value>([
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

function refusal(what: string): string {
  return `${what} is not allowed: ${ALLOWED}`;
}

class ExpressionParser {
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
function isLiteral(expression: Expression): boolean {
  if (expression.type === 'literal') return true;
  return expression.type === 'list' && expression.items.every(isLiteral);
}

type Block =
  | { readonly type: 'text'; text: string; line: number }
  | {
      readonly type: 'output';
      readonly expression: Expression;
      readonly name: string;
      readonly line: number;
    }
  | {
      readonly type: 'if';
      readonly branches: {
        readonly condition: Expression;
        readonly body: Block[];
        readonly line: number;
      }[];
      otherwise?: Block[];
    }
  | {
      readonly type: 'set';
      readonly name: string;
      readonly expression: Expression;
      readonly line: number;
    };

interface Parsed {
  readonly blocks: Block[];
  readonly problems: TemplateProblem[];
}

/** The name an output stands under in messages: `VAR`, or the expression's text (200 at most). */
function outputName(tokens: readonly Token[]): string {
  let name = '';
  for (const token of tokens) {
    const text = token.kind === 'op' && token.text === '|' ? '|' : token.text;
    name += name === '' ? text : ` ${text}`;
    if (name.length > 200) break;
  }
  return name.slice(0, 200);
}

const OPEN_PATTERN = /\{[{%#]/g;

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Reads the template into blocks; every refused construct is a problem with its line. */
function parseTemplate(source: string): Parsed {
  const problems: TemplateProblem[] = [];
  const root: Block[] = [];
  // The open `{% if %}` blocks, innermost last, with the list new blocks go to.
  const stack: { block: Extract<Block, { type: 'if' }>; line: number; hasElse: boolean }[] = [];
  let target: Block[] = root;
  let position = 0;
  let line = 1;
  let trimNext = false;

  const addText = (text: string, textLine: number): void => {
    let t = text;
    let l = textLine;
    if (trimNext) {
      const stripped = t.trimStart();
      l += countLines(t, 0, t.length - stripped.length);
      t = stripped;
      trimNext = false;
    }
    if (t !== '') target.push({ type: 'text', text: t, line: l });
  };
  const trimPrevious = (): void => {
    const last = target.at(-1);
    // trimEnd, not a regular expression: /\s+$/ takes quadratic time on a long run of spaces.
    if (last?.type === 'text') last.text = last.text.trimEnd();
  };

  while (position < source.length) {
    OPEN_PATTERN.lastIndex = position;
    const open = OPEN_PATTERN.exec(source);
    if (open === null) {
      addText(source.slice(position), line);
      break;
    }
    const at = open.index;
    addText(source.slice(position, at), line);
    line += countLines(source, position, at);
    const kind = source[at + 1];
    let bodyStart = at + 2;
    if (source[bodyStart] === '-') {
      trimPrevious();
      bodyStart += 1;
    } else if (source[bodyStart] === '+') bodyStart += 1;
    const tagLine = line;

    if (kind === '#') {
      const end = source.indexOf('#}', bodyStart);
      if (end < 0) {
        problems.push({ line: tagLine, message: 'template: a {# comment is not closed' });
        return { blocks: root, problems };
      }
      trimNext = source[end - 1] === '-';
      line += countLines(source, at, end + 2);
      position = end + 2;
      continue;
    }

    let lexed: LexedTag;
    try {
      lexed = lexTag(source, bodyStart, line, kind === '{' ? '}}' : '%}');
    } catch (error) {
      const e = error as TemplateSyntaxError;
      problems.push({ line: e.line, message: `template: ${e.message}` });
      // Go on after the closing delimiter, if there is one, to report the other problems too.
      const close = source.indexOf(kind === '{' ? '}}' : '%}', bodyStart);
      if (close < 0) return { blocks: root, problems };
      line += countLines(source, at, close + 2);
      position = close + 2;
      continue;
    }
    line = lexed.endLine;
    position = lexed.end;
    trimNext = lexed.trimAfter;

    try {
      const parser = new ExpressionParser(lexed.tokens, tagLine);
      if (kind === '{') {
        const expression = parser.parseExpression();
        parser.expectEnd('after the expression');
        target.push({ type: 'output', expression, name: outputName(lexed.tokens), line: tagLine });
        continue;
      }
      const tag = parser.takeName();
      if (tag === undefined) throw new TemplateSyntaxError('expected a tag name after {%', tagLine);
      if (tag === 'if') {
        if (stack.length >= MAX_TEMPLATE_NESTING) {
          throw new TemplateSyntaxError(
            `{% if %} blocks nest more than ${MAX_TEMPLATE_NESTING} levels deep`,
            tagLine,
          );
        }
        const condition = parser.parseExpression();
        parser.expectEnd('after the condition');
        const block: Extract<Block, { type: 'if' }> = {
          type: 'if',
          branches: [{ condition, body: [], line: tagLine }],
        };
        target.push(block);
        stack.push({ block, line: tagLine, hasElse: false });
        target = (block.branches[0] as { body: Block[] }).body;
      } else if (tag === 'elif' || tag === 'else' || tag === 'endif') {
        const open = stack.at(-1);
        if (open === undefined) {
          throw new TemplateSyntaxError(`{% ${tag} %} without an {% if %}`, tagLine);
        }
        if (tag === 'endif') {
          parser.expectEnd('after endif');
          stack.pop();
          const parent = stack.at(-1);
          target =
            parent === undefined
              ? root
              : (parent.block.otherwise ??
                (parent.block.branches.at(-1) as { body: Block[] }).body);
        } else if (open.hasElse) {
          throw new TemplateSyntaxError(`{% ${tag} %} after {% else %}`, tagLine);
        } else if (tag === 'elif') {
          const condition = parser.parseExpression();
          parser.expectEnd('after the condition');
          const body: Block[] = [];
          open.block.branches.push({ condition, body, line: tagLine });
          target = body;
        } else {
          parser.expectEnd('after else');
          open.hasElse = true;
          open.block.otherwise = [];
          target = open.block.otherwise;
        }
      } else if (tag === 'set') {
        const name = parser.takeName();
        if (name === undefined || KEYWORDS.has(name) || LITERAL_NAMES.has(name)) {
          throw new TemplateSyntaxError('{% set %} needs a variable name', tagLine);
        }
        if (!parser.takeOp('=')) {
          throw new TemplateSyntaxError(
            refusal('{% set %} without "= value" (a block set) or of several names'),
            tagLine,
          );
        }
        const expression = parser.parseExpression();
        parser.expectEnd('after the value');
        if (!isLiteral(expression)) {
          throw new TemplateSyntaxError(
            refusal('{% set %} of anything but a literal (text, number, true, false, none, list)'),
            tagLine,
          );
        }
        target.push({ type: 'set', name, expression, line: tagLine });
      } else if (tag === 'raw') {
        parser.expectEnd('after raw');
        const end = /\{%[-+]?\s*endraw\s*-?%\}/g;
        end.lastIndex = position;
        const match = end.exec(source);
        if (match === null)
          throw new TemplateSyntaxError('{% raw %} without {% endraw %}', tagLine);
        addText(source.slice(position, match.index), line);
        line += countLines(source, position, match.index + match[0].length);
        position = match.index + match[0].length;
        trimNext = match[0].endsWith('-%}');
      } else {
        throw new TemplateSyntaxError(refusal(`the tag {% ${tag} %}`), tagLine);
      }
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      problems.push({ line: error.line, message: `template: ${error.message}` });
    }
  }
  for (const open of stack) {
    problems.push({ line: open.line, message: 'template: {% if %} without {% endif %}' });
  }
  return { blocks: root, problems };
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

interface Scope {
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

function evaluate(expression: Expression, scope: Scope): Value {
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

function missingMessage(name: string): string {
  return `the variable ${name} is not defined: set it in the environment or give a default ({{ ${name} | default('...') }})`;
}

/**
 * Renders a configuration template: Jinja's `{{ }}`, `{% if %}`, `{% set %}` of a literal,
 * `{% raw %}` and comments, with the variables of `env`, literals and the filters of
 * {@link FILTERS}; nothing else is read (attribute and index access, calls, arithmetic, other tags
 * and filters are refused, each a problem with its line), so a template reaches no JavaScript
 * object and no variable outside `env`.
 *
 * Each `{{ }}` is evaluated on the real values (a filter gives Jinja's result), and its result goes
 * into the text as a token, replaced by its value after the YAML is parsed: a value with `:`, `#`
 * or a newline stays one string, and never meets the YAML parser.
 *
 * A missing variable is a problem naming it and its line, never an empty string: every one is
 * reported, in one pass (each variable once, at its first line).
 */
export function renderTemplate(
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  limits: RenderLimits,
): RenderedTemplate {
  const tokens = new Map<string, Substitution>();
  const tokenOf = new Map<string, string>();
  const reserved = /[\uE000\uE001]/.exec(source);
  if (reserved !== null) {
    // The text of a file could otherwise name a token, and put a value where it was not written.
    const line = source.slice(0, reserved.index).split('\n').length;
    return {
      text: '',
      tokens,
      secrets: [],
      sourceLines: [],
      problems: [
        {
          line,
          message: `template: the private-use character U+${reserved[0].charCodeAt(0).toString(16).toUpperCase()} is reserved by the loader: remove it from the file`,
        },
      ],
    };
  }
  const { blocks, problems } = parseTemplate(source);
  const scope: Scope = { env, sets: new Map(), used: new Map(), limits };
  const secretsOf = (): Substitution[] => [
    ...tokens.values(),
    ...[...scope.used].map(([name, value]) => ({ name, value })),
  ];
  if (problems.length > 0) {
    return { text: '', tokens, secrets: secretsOf(), problems, sourceLines: [] };
  }

  const reported = new Set<string>();
  const chunks: string[] = [];
  const sourceLines: number[] = [];
  let atLineStart = true;

  const report = (error: unknown, line: number): void => {
    if (!(error instanceof EvaluationError)) throw error;
    if (error.missing.length === 0) {
      problems.push({ line, message: `template: ${error.message}` });
      return;
    }
    for (const name of error.missing) {
      if (reported.has(name)) continue;
      reported.add(name);
      problems.push({ line, message: missingMessage(name) });
    }
  };
  const emitText = (text: string, line: number): void => {
    let from = 0;
    let l = line;
    for (;;) {
      if (atLineStart && from < text.length) {
        sourceLines.push(l);
        atLineStart = false;
      }
      const newline = text.indexOf('\n', from);
      if (newline < 0) break;
      from = newline + 1;
      l += 1;
      atLineStart = true;
    }
    chunks.push(text);
  };
  const tokenFor = (name: string, value: string): string => {
    const key = `${name}\u0000${value}`;
    let token = tokenOf.get(key);
    if (token === undefined) {
      token = `${TOKEN_OPEN}${tokenOf.size.toString(36)}${TOKEN_CLOSE}`;
      tokenOf.set(key, token);
      tokens.set(token, { name, value });
    }
    return token;
  };

  const run = (list: readonly Block[]): void => {
    for (const block of list) {
      if (block.type === 'text') emitText(block.text, block.line);
      else if (block.type === 'set') {
        scope.sets.set(block.name, evaluate(block.expression, scope));
      } else if (block.type === 'output') {
        try {
          const value = evaluate(block.expression, scope);
          if (value instanceof Undefined) requireDefined('the output', value);
          emitText(tokenFor(block.name, textOf(value)), block.line);
        } catch (error) {
          report(error, block.line);
        }
      } else {
        let chosen: readonly Block[] | undefined = block.otherwise;
        for (const branch of block.branches) {
          let holds = false;
          try {
            holds = truthy(evaluate(branch.condition, scope));
          } catch (error) {
            report(error, branch.line);
          }
          if (holds) {
            chosen = branch.body;
            break;
          }
        }
        if (chosen !== undefined) run(chosen);
      }
    }
  };
  run(blocks);

  if (problems.length > 0) {
    return { text: '', tokens, secrets: secretsOf(), problems, sourceLines: [] };
  }
  return { text: chunks.join(''), tokens, secrets: secretsOf(), problems, sourceLines };
}

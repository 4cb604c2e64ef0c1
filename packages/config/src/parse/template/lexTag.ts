import type { Value } from './values';
import { FILTER_ALIASES, FILTERS, PyFloat } from './values';
// Lexing: the expression of a {{ }} or {% %}, into tokens.

const FILTER_NAMES = [...FILTERS.keys(), ...FILTER_ALIASES.keys()].join(', ');
export const ALLOWED =
  'a configuration template reaches only the variables of env, literals, the filters ' +
  `${FILTER_NAMES}, comparisons, and, or, not, in, is, ~, and the tags if/elif/else/endif, ` +
  'set (of a literal), raw and comments';

type TokenKind = 'name' | 'string' | 'int' | 'float' | 'op';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value?: Value;
  readonly line: number;
}

export class TemplateSyntaxError extends Error {
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

export interface LexedTag {
  readonly tokens: readonly Token[];
  /** The position after the closing delimiter. */
  readonly end: number;
  readonly endLine: number;
  /** `-}}` or `-%}`: strip the whitespace that follows. */
  readonly trimAfter: boolean;
}

/** Lexes from `position` (after `{{` or `{%`) to the closing `}}` or `%}`. */
export function lexTag(
  source: string,
  start: number,
  startLine: number,
  close: '}}' | '%}',
): LexedTag {
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

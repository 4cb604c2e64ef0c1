/**
 * The values of a configuration template and Jinja's filters and tests on them, with Python's
 * results: text, integers (exact, as Python's), floats (kept apart from integers, so `| float`
 * prints `3.0`), booleans, `none`, lists of literals, and undefined (a missing variable).
 *
 * Nothing here reaches a JavaScript object: a value is data, an operation is a function of this
 * file, chosen by name from a fixed table.
 */

/** A float, kept apart from integers (Python prints `3.0`, not `3`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A missing variable (or an empty `first`): `names` are the missing variables, if any. */
export class Undefined {
  constructor(
    readonly names: readonly string[],
    readonly reason?: string,
  ) {}
}

/** A value of the template language. */
export type Value = string | bigint | PyFloat | boolean | null | Undefined | readonly Value[];

/** An error of evaluation: what went wrong, never a value; `missing` names missing variables. */
export class EvaluationError extends Error {
  constructor(
    message: string,
    readonly missing: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Throws for the missing variables among `values` (a value that is undefined). */
export function requireDefined(what: string, ...values: readonly Value[]): void {
  const undefinedValues = values.filter((v): v is Undefined => v instanceof Undefined);
  if (undefinedValues.length === 0) return;
  const names = [...new Set(undefinedValues.flatMap((v) => v.names))];
  if (names.length > 0) throw new EvaluationError(`${what} of an undefined variable`, names);
  throw new EvaluationError(
    `${what} of an undefined value (${undefinedValues[0]?.reason ?? 'no value'})`,
  );
}

/** The kind of a value, in messages (never the value). */
export function kindOf(value: Value): string {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'bigint') return 'an integer';
  if (value instanceof PyFloat) return 'a float';
  if (typeof value === 'boolean') return 'a boolean';
  if (value === null) return 'none';
  if (value instanceof Undefined) return 'an undefined value';
  return 'a list';
}

const isNumeric = (v: Value): v is bigint | PyFloat | boolean =>
  typeof v === 'bigint' || v instanceof PyFloat || typeof v === 'boolean';

const numberOf = (v: bigint | PyFloat | boolean): number =>
  typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : v.value;

/** Python's `repr` of a float: the shortest digits that read back, `3.0`, `1e+16`, `inf`. */
export function floatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
  }
  const fraction = digits.slice(1);
  const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign}${digits[0] ?? ''}${fraction === '' ? '' : `.${fraction}`}e${e}`;
}

/** Python's `repr` of a string (for a list printed as text). */
function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `${quote}${quote === "'" ? body.replace(/'/g, "\\'") : body}${quote}`;
}

/** Python's `str()` of a value (Jinja's output of it). */
export function textOf(value: Value): string {
  requireDefined('the text', value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return floatText(value.value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  const items = (value as readonly Value[]).map((v) =>
    typeof v === 'string' ? stringRepr(v) : textOf(v),
  );
  return `[${items.join(', ')}]`;
}

/** Python's truth of a value; an undefined value is false (Jinja). */
export function truthy(value: Value): boolean {
  if (value instanceof Undefined) return false;
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'bigint') return value !== 0n;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'boolean') return value;
  if (value === null) return false;
  return value.length > 0;
}

/** Python's `==`. */
export function equals(a: Value, b: Value): boolean {
  requireDefined('a comparison', a, b);
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return numberOf(a) === numberOf(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item: Value, i) => equals(item, b[i] as Value));
  }
  return a === b;
}

/** Compares strings by code point, as Python does. */
function compareText(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Python's `<`, `<=`, `>`, `>=`: numbers with numbers, text with text. */
export function order(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  requireDefined('a comparison', a, b);
  let d: number;
  if (isNumeric(a) && isNumeric(b)) {
    d =
      typeof a === 'bigint' && typeof b === 'bigint'
        ? a < b
          ? -1
          : a > b
            ? 1
            : 0
        : numberOf(a) - numberOf(b);
    if (Number.isNaN(d)) return false;
  } else if (typeof a === 'string' && typeof b === 'string') {
    d = compareText(a, b);
  } else {
    throw new EvaluationError(
      `'${op}' cannot compare ${kindOf(a)} with ${kindOf(b)}: convert one with | int or | string`,
    );
  }
  return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
}

/** Python's `in`: a substring of text, or an item of a list. */
export function contains(container: Value, item: Value): boolean {
  requireDefined("'in'", container, item);
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw new EvaluationError(`'in' of text needs text on its left, got ${kindOf(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((v: Value) => equals(v, item));
  throw new EvaluationError(`'in' needs text or a list on its right, got ${kindOf(container)}`);
}

// Python's str.isspace characters, for trim.
const PY_SPACE = new Set(
  [
    ...' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000',
    ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
  ].map((c) => c),
);

function strip(s: string, chars: ReadonlySet<string> | undefined): string {
  const points = [...s];
  const isStripped = (c: string): boolean => (chars === undefined ? PY_SPACE.has(c) : chars.has(c));
  let start = 0;
  let end = points.length;
  while (start < end && isStripped(points[start] as string)) start += 1;
  while (end > start && isStripped(points[end - 1] as string)) end -= 1;
  return points.slice(start, end).join('');
}

/** Python's `int(text, base)`, or undefined when the text is not an integer in that base. */
function parseInteger(text: string, base: number): bigint | undefined {
  let s = strip(text, undefined);
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  const prefix = /^0([xob])/i.exec(s)?.[1]?.toLowerCase();
  const prefixBase = prefix === 'x' ? 16 : prefix === 'o' ? 8 : prefix === 'b' ? 2 : undefined;
  let radix = base;
  if (base === 0) {
    radix = prefixBase ?? 10;
    if (prefixBase === undefined && /^0+[1-9_]/.test(s)) return undefined;
  }
  if (prefixBase !== undefined && prefixBase === radix) s = s.slice(2).replace(/^_/, '');
  if (!/^[0-9a-z]+(_[0-9a-z]+)*$/i.test(s)) return undefined;
  const digits = s.replace(/_/g, '').toLowerCase();
  let n = 0n;
  const big = BigInt(radix);
  for (const c of digits) {
    const d = parseInt(c, 36);
    if (!(d < radix)) return undefined;
    n = n * big + BigInt(d);
  }
  return negative ? -n : n;
}

/** Python's `float(text)`, or undefined. */
function parseFloatText(text: string): number | undefined {
  const s = strip(text, undefined);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special !== null) {
    if ((special[2] as string).toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const digits = '[0-9](?:_?[0-9])*';
  const pattern = new RegExp(
    `^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`,
  );
  return pattern.test(s) ? Number(s.replace(/_/g, '')) : undefined;
}

/** The bound on the length of any text the template makes (a filter's result). */
export interface ValueBounds {
  readonly maxLength: number;
}

function bounded(length: number, bounds: ValueBounds, what: string): void {
  if (length > bounds.maxLength) {
    throw new EvaluationError(
      `${what} would make a text of more than ${bounds.maxLength} characters (the limit maxBytes)`,
    );
  }
}

// Python's quote(): bytes other than these are written %XX (Jinja's urlencode keeps '/').
const URL_SAFE = /^[A-Za-z0-9_.\-~/]$/;

function urlencode(s: string): string {
  let out = '';
  for (const c of s) {
    if (URL_SAFE.test(c)) {
      out += c;
      continue;
    }
    for (const byte of new TextEncoder().encode(c)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function replace(
  s: string,
  old: string,
  replacement: string,
  count: bigint,
  bounds: ValueBounds,
): string {
  const points = old === '' ? [...s] : [];
  const occurrences = old === '' ? points.length + 1 : s.length === 0 ? 0 : s.split(old).length - 1;
  const n = count < 0n || count > BigInt(occurrences) ? occurrences : Number(count);
  bounded(s.length + n * (replacement.length - old.length), bounds, 'replace');
  if (n === 0) return s;
  if (old === '') {
    // Python: the replacement goes before each of the first n code points (and at the end).
    let out = '';
    for (let i = 0; i < points.length + 1; i += 1) {
      if (i < n) out += replacement;
      out += points[i] ?? '';
    }
    return out;
  }
  const parts = s.split(old);
  return (
    parts.slice(0, n + 1).join(replacement) +
    (n + 1 < parts.length ? old : '') +
    parts.slice(n + 1).join(old)
  );
}

function title(s: string): string {
  return s
    .split(/([-\s({[<]+)/u)
    .filter((item) => item !== '')
    .map((item) => {
      const [first = '', ...rest] = [...item];
      return first.toUpperCase() + rest.join('').toLowerCase();
    })
    .join('');
}

type Arguments = readonly Value[];

interface FilterSpec {
  /** Parameter names, after the value, as Jinja's filter function declares them. */
  readonly parameters: readonly string[];
  /** Whether it accepts an undefined value (only `default` does). */
  readonly acceptsUndefined?: boolean;
  readonly apply: (value: Value, args: Arguments, bounds: ValueBounds) => Value;
}

function textArgument(filter: string, name: string, value: Value | undefined): string {
  if (value === undefined) throw new EvaluationError(`${filter} needs the argument ${name}`);
  requireDefined(`the argument ${name} of ${filter}`, value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw new EvaluationError(`${filter}: ${name} must be text`);
  return textOf(value);
}

function integerArgument(
  filter: string,
  name: string,
  value: Value | undefined,
  def: bigint,
): bigint {
  if (value === undefined || value === null) return def;
  requireDefined(`the argument ${name} of ${filter}`, value);
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  throw new EvaluationError(`${filter}: ${name} must be an integer, got ${kindOf(value)}`);
}

function sequenceOf(filter: string, value: Value): readonly Value[] | string {
  if (typeof value === 'string' || Array.isArray(value)) return value as string | readonly Value[];
  throw new EvaluationError(`${filter} needs text or a list, got ${kindOf(value)}`);
}

const toText =
  (f: (s: string) => string) =>
  (value: Value): Value =>
    f(textOf(value));

/**
 * The filters a template may use, by name: Jinja's string filters and `default`, with Jinja's
 * results. Any other name is refused when the template is read.
 */
export const FILTERS: ReadonlyMap<string, FilterSpec> = new Map<string, FilterSpec>([
  [
    'default',
    {
      parameters: ['default_value', 'boolean'],
      acceptsUndefined: true,
      apply: (value, [fallback = '', boolean = false]) =>
        value instanceof Undefined || (truthy(boolean) && !truthy(value)) ? fallback : value,
    },
  ],
  ['lower', { parameters: [], apply: toText((s) => s.toLowerCase()) }],
  ['upper', { parameters: [], apply: toText((s) => s.toUpperCase()) }],
  [
    'capitalize',
    {
      parameters: [],
      apply: toText((s) => {
        const [first = '', ...rest] = [...s];
        return first.toUpperCase() + rest.join('').toLowerCase();
      }),
    },
  ],
  ['title', { parameters: [], apply: toText(title) }],
  [
    'trim',
    {
      parameters: ['chars'],
      apply: (value, [chars]) =>
        strip(
          textOf(value),
          chars === undefined || chars === null
            ? undefined
            : new Set(textArgument('trim', 'chars', chars)),
        ),
    },
  ],
  [
    'replace',
    {
      parameters: ['old', 'new', 'count'],
      apply: (value, [old, replacement, count], bounds) =>
        replace(
          textOf(value),
          textArgument('replace', 'old', old),
          textArgument('replace', 'new', replacement),
          integerArgument('replace', 'count', count, -1n),
          bounds,
        ),
    },
  ],
  [
    'length',
    {
      parameters: [],
      apply: (value) => {
        const sequence = sequenceOf('length', value);
        return BigInt(typeof sequence === 'string' ? [...sequence].length : sequence.length);
      },
    },
  ],
  [
    'int',
    {
      parameters: ['default', 'base'],
      apply: (value, [fallback = 0n, baseValue]) => {
        const base = integerArgument('int', 'base', baseValue, 10n);
        if (base !== 0n && (base < 2n || base > 36n)) {
          throw new EvaluationError('int: base must be 0 or between 2 and 36');
        }
        let n: number | undefined;
        if (typeof value === 'string') {
          const parsed = parseInteger(value, Number(base));
          if (parsed !== undefined) return parsed;
          n = parseFloatText(value);
        } else if (typeof value === 'bigint') return value;
        else if (typeof value === 'boolean') return value ? 1n : 0n;
        else if (value instanceof PyFloat) n = value.value;
        if (n === undefined || Number.isNaN(n)) return fallback;
        if (!Number.isFinite(n)) throw new EvaluationError('int: an infinite float has no integer');
        return BigInt(Math.trunc(n));
      },
    },
  ],
  [
    'float',
    {
      parameters: ['default'],
      apply: (value, [fallback = new PyFloat(0)]) => {
        if (typeof value === 'string') {
          const n = parseFloatText(value);
          return n === undefined ? fallback : new PyFloat(n);
        }
        if (typeof value === 'bigint' || typeof value === 'boolean') {
          return new PyFloat(Number(value));
        }
        return value instanceof PyFloat ? value : fallback;
      },
    },
  ],
  ['string', { parameters: [], apply: (value) => textOf(value) }],
  [
    'first',
    {
      parameters: [],
      apply: (value) => {
        const sequence = sequenceOf('first', value);
        const item = typeof sequence === 'string' ? [...sequence][0] : sequence[0];
        return item ?? new Undefined([], 'first of an empty sequence');
      },
    },
  ],
  [
    'last',
    {
      parameters: [],
      apply: (value) => {
        const sequence = sequenceOf('last', value);
        const items = typeof sequence === 'string' ? [...sequence] : sequence;
        return items.at(-1) ?? new Undefined([], 'last of an empty sequence');
      },
    },
  ],
  [
    'reverse',
    {
      parameters: [],
      apply: (value) => {
        const sequence = sequenceOf('reverse', value);
        return typeof sequence === 'string'
          ? [...sequence].reverse().join('')
          : [...sequence].reverse();
      },
    },
  ],
  ['urlencode', { parameters: [], apply: (value) => urlencode(textOf(value)) }],
]);

/** Jinja's aliases of filters. */
export const FILTER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['d', 'default'],
  ['count', 'length'],
]);

/** Applies a filter of {@link FILTERS} to a value, with Jinja's arguments. */
export function applyFilter(
  name: string,
  value: Value,
  positional: readonly Value[],
  keywords: ReadonlyMap<string, Value>,
  bounds: ValueBounds,
): Value {
  const canonical = FILTER_ALIASES.get(name) ?? name;
  const spec = FILTERS.get(canonical);
  if (spec === undefined) throw new EvaluationError(`the filter ${name} is not allowed`);
  if (positional.length > spec.parameters.length) {
    throw new EvaluationError(
      `${name} takes ${spec.parameters.length === 0 ? 'no arguments' : `at most ${spec.parameters.length} arguments (${spec.parameters.join(', ')})`}`,
    );
  }
  const args: (Value | undefined)[] = [...positional];
  for (const [keyword, v] of keywords) {
    const index = spec.parameters.indexOf(keyword);
    if (index < 0) throw new EvaluationError(`${name} has no argument named ${keyword}`);
    if (args[index] !== undefined) {
      throw new EvaluationError(`${name}: the argument ${keyword} is given twice`);
    }
    args[index] = v;
  }
  if (!spec.acceptsUndefined) requireDefined(`the filter ${name}`, value);
  const result = spec.apply(value, args as Value[], bounds);
  if (typeof result === 'string') bounded(result.length, bounds, name);
  return result;
}

/** Jinja's tests (`x is defined`) a template may use. */
export const TESTS: ReadonlyMap<string, (value: Value) => boolean> = new Map<
  string,
  (value: Value) => boolean
>([
  ['defined', (v) => !(v instanceof Undefined)],
  ['undefined', (v) => v instanceof Undefined],
  ['none', (v) => v === null],
  ['number', (v) => typeof v === 'bigint' || v instanceof PyFloat],
  ['string', (v) => typeof v === 'string'],
  ['true', (v) => v === true],
  ['false', (v) => v === false],
  // Python's islower/isupper: at least one cased character, and all of them in that case.
  ['lower', (v) => typeof v === 'string' && v === v.toLowerCase() && v !== v.toUpperCase()],
  ['upper', (v) => typeof v === 'string' && v === v.toUpperCase() && v !== v.toLowerCase()],
]);

import type { Substitution } from './template/renderTemplate';
import { TOKEN_PATTERN } from './template/renderTemplate';
import type { LineIndex } from './parseYaml';

const TOKEN_ONLY = /^\uE000([0-9a-z]+)\uE001$/;

/**
 * The value of a scalar that was nothing but one variable: a number or `true`/`false` when the
 * text says so exactly (it reads back to the same text: `10`, not `010` or `1e3`), else the text.
 * This is what the original's render-then-parse gave for such values, without its losses; the
 * schema-directed coercion turns it back into the same text where a string is expected.
 */
function scalarOf(text: string): string | number | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n) && String(n) === text) return n;
  }
  return text;
}

function replaceIn(text: string, tokens: ReadonlyMap<string, Substitution>): string {
  return text.replace(TOKEN_PATTERN, (token) => tokens.get(token)?.value ?? token);
}

/**
 * Replaces the tokens of the rendered template by their values, in place, in keys and values at
 * any depth (objects shared by aliases are visited once), and keeps the line index in step with
 * renamed keys. Returns the new root (a root that was a token itself is replaced).
 */
export function substituteTokens(
  data: unknown,
  tokens: ReadonlyMap<string, Substitution>,
  lines: LineIndex,
): unknown {
  if (tokens.size === 0) return data;
  const seen = new WeakSet<object>();

  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('\uE000')) return value;
      const only = TOKEN_ONLY.exec(value);
      if (only !== null && tokens.has(value))
        return scalarOf((tokens.get(value) as Substitution).value);
      return replaceIn(value, tokens);
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) value[i] = visit(value[i]);
      return value;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (!keys.some((k) => k.includes('\uE000'))) {
      for (const key of keys) record[key] = visit(record[key]);
      return value;
    }
    // A templated key: rebuild the object in its key order, with the index following.
    const index = lines.get(value);
    const renamed = new Map<string, number>();
    const entries = keys.map(
      (key) => [replaceIn(key, tokens), record[key], index?.get(key)] as const,
    );
    for (const key of keys) delete record[key];
    for (const [key, item, line] of entries) {
      Object.defineProperty(record, key, {
        value: visit(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (line !== undefined) renamed.set(key, line);
    }
    if (index !== undefined) lines.set(value, renamed);
    return value;
  };

  return visit(data);
}

import nunjucks from 'nunjucks';

/** A value of the environment that the template output, kept out of the YAML text. */
export interface Substitution {
  readonly name: string;
  readonly value: string;
}

/** A problem of the template itself: a missing variable or a syntax error. */
export interface TemplateProblem {
  readonly line?: number;
  readonly message: string;
}

/** The rendered text, in which every environment value stands as a token, and the tokens. */
export interface RenderedTemplate {
  readonly text: string;
  readonly tokens: ReadonlyMap<string, Substitution>;
  readonly problems: readonly TemplateProblem[];
}

// Private-use characters: YAML keeps them inside any scalar, plain or quoted, and case or trim
// filters leave them alone, so a token survives rendering and parsing untouched.
const TOKEN_OPEN = '\uE000';
const TOKEN_CLOSE = '\uE001';
/** Matches one token in rendered text. */
export const TOKEN_PATTERN = /\uE000([0-9a-z]+)\uE001/g;

const MAX_MISSING = 100;

/**
 * Renders a Jinja-style template (nunjucks) with the environment, without ever putting an
 * environment value into the text: each variable renders as a token that the YAML parser keeps as
 * part of a scalar, and that is replaced by its value after parsing. So a value with `:` or `#` (a
 * secret, say) stays the intended string, and the template engine never sees a secret.
 *
 * A missing variable is a problem naming it and its line, never an empty string; every missing
 * variable is reported (the template is rendered again, each missing one standing in, until none is
 * left).
 */
export function renderTemplate(
  source: string,
  env: Readonly<Record<string, string | undefined>>,
): RenderedTemplate {
  const tokens = new Map<string, Substitution>();
  const tokenOf = new Map<string, string>();
  const problems: TemplateProblem[] = [];
  const standIns = new Set<string>();

  const tokenFor = (name: string, value: string): string => {
    let token = tokenOf.get(name);
    if (token === undefined) {
      token = `${TOKEN_OPEN}${tokenOf.size.toString(36)}${TOKEN_CLOSE}`;
      tokenOf.set(name, token);
      tokens.set(token, { name, value });
    }
    return token;
  };
  const isDefined = (name: string): boolean =>
    Object.prototype.hasOwnProperty.call(env, name) && typeof env[name] === 'string';

  for (let round = 0; round <= MAX_MISSING; round += 1) {
    const missing: string[] = [];
    const environment = new nunjucks.Environment(null, {
      autoescape: false,
      throwOnUndefined: true,
    });
    const holder = environment as unknown as { globals: Record<string, unknown> };
    const builtins = holder.globals;
    // nunjucks asks `name in globals` for every variable it does not find in the template's own
    // scope: that is where the environment is served, lazily, and where misses are recorded.
    holder.globals = new Proxy(builtins, {
      has(target, name) {
        if (typeof name !== 'string') return name in target;
        if (isDefined(name) || standIns.has(name)) return true;
        if (!(name in target)) missing.push(name);
        return name in target;
      },
      get(target, name) {
        if (typeof name === 'string') {
          if (isDefined(name)) return tokenFor(name, env[name] as string);
          if (standIns.has(name)) return tokenFor(name, '');
        }
        return Reflect.get(target, name) as unknown;
      },
    });
    try {
      const text = environment.renderString(source, {});
      problems.push(...undefinedInExpressions(source, text, missing, standIns));
      return { text: problems.length > 0 ? '' : text, tokens, problems };
    } catch (error) {
      const { line, message } = describeNunjucksError(error);
      if (!/attempted to output null or undefined value/.test(message)) {
        problems.push({ ...(line === undefined ? {} : { line }), message: `template: ${message}` });
        return { text: '', tokens, problems };
      }
      const lineText = line === undefined ? '' : (source.split(/\r?\n/)[line - 1] ?? '');
      const name =
        [...missing].reverse().find((n) => !standIns.has(n) && lineText.includes(n)) ??
        [...missing].reverse().find((n) => !standIns.has(n));
      if (name === undefined) {
        problems.push({
          ...(line === undefined ? {} : { line }),
          message: 'template: an expression gives an undefined value',
        });
        return { text: '', tokens, problems };
      }
      problems.push({
        ...(line === undefined ? {} : { line }),
        message: `the variable ${name} is not defined: set it in the environment or give a default ({{ ${name} | default('...') }})`,
      });
      standIns.add(name);
    }
  }
  return { text: '', tokens, problems };
}

/**
 * Undefined variables that an expression turned into the text `undefined` (`{{ A ~ 'x' }}`), which
 * nunjucks does not refuse: a missing variable whose expression's line rendered `undefined`.
 */
function undefinedInExpressions(
  source: string,
  text: string,
  missing: readonly string[],
  standIns: ReadonlySet<string>,
): TemplateProblem[] {
  const names = [...new Set(missing)].filter((n) => !standIns.has(n));
  if (names.length === 0 || !text.includes('undefined')) return [];
  const sourceLines = source.split(/\r?\n/);
  const textLines = text.split(/\r?\n/);
  const aligned = sourceLines.length === textLines.length;
  const problems: TemplateProblem[] = [];
  for (const name of names) {
    const inExpression = new RegExp(`\\{\\{[^}]*\\b${name.replace(/[$]/g, '\\$')}\\b[^}]*\\}\\}`);
    const index = sourceLines.findIndex(
      (line, i) =>
        inExpression.test(line) &&
        !line.includes('undefined') &&
        (!aligned || (textLines[i] ?? '').includes('undefined')),
    );
    if (index >= 0) {
      problems.push({
        line: index + 1,
        message: `the variable ${name} is not defined: set it in the environment or give a default ({{ ${name} | default('...') }})`,
      });
    }
  }
  return problems;
}

function describeNunjucksError(error: unknown): { line?: number; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  const match = /\[Line (\d+), Column (\d+)\]\s*(?:Error: )?([\s\S]*)$/.exec(text);
  if (match === null) return { message: text.replace(/^\(unknown path\)\s*/, '').trim() };
  return { line: Number(match[1]), message: (match[3] ?? '').trim() };
}

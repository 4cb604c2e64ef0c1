// The configuration's template language: a strict subset of Jinja (variables, literals, an
// allow-list of filters, comparisons, if/elif/else, set of a literal, raw, comments), rendered
// without ever compiling the template to code. The steps, one file each: lexTag.ts (a tag's
// tokens), expressions.ts (tokens into expressions), blocks.ts (the template into a tree of
// blocks, every refused construct a problem with its line), evaluate.ts (an expression's value),
// values.ts (Jinja's values, filters and tests); here, the rendering that ties them together.

import type { ValueBounds } from './values';
import { EvaluationError, Undefined, requireDefined, textOf, truthy } from './values';
import type { Block } from './blocks';
import { parseTemplate } from './blocks';
import type { Scope } from './evaluate';
import { evaluate, missingMessage } from './evaluate';
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

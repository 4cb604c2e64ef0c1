import type { Logger } from '@cs/session';
import { ConfigError } from './errors';
import type { ConfigProblem } from './errors';
import { coerceDocument } from './parse/coerceToSchema';
import { didYouMean } from './parse/didYouMean';
import { rememberOrigin } from './document/documentOrigins';
import { formatPath } from './document/documentPath';
import type { LineIndex } from './parse/parseYaml';
import { parseYaml } from './parse/parseYaml';
import { placeProblems } from './parse/placeProblems';
import { redactor } from './parse/redactor';
import { renderTemplate } from './parse/template/renderTemplate';
import { findLoneSurrogate } from './parse/decodeText';
import { substituteTokens } from './parse/substituteTokens';
import { validateAgainstSchema } from './parse/validateAgainstSchema';
import { walkEntries } from './document/walkEntries';
import { boundProblems, resolveLimits, sizeProblem } from './limits';
import type { ConfigLimits } from './limits';
import { sectionNames } from './sectionSchemas';
import type { CsAwsConfig } from './types';

/**
 * Where warnings go: `@cs/session`'s `Logger`, under the name this package first gave it.
 *
 * @deprecated Use `Logger` of `@cs/session`, the one logger type of every layer; this alias is
 * kept so that code naming it still compiles.
 * @public
 */
export type ConfigLogger = Logger;

/**
 * Options of {@link parseConfig}.
 *
 * @public
 */
export interface ParseConfigOptions {
  /**
   * The variables the template is rendered with.
   * @defaultValue `process.env`
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The name of the text in problems (a file name).
   * @defaultValue `'<config>'`
   */
  source?: string;
  /**
   * Receives warnings.
   * @defaultValue none (silent)
   */
  logger?: Logger;
  /**
   * Bounds of the file: its size, and its nodes once its aliases are expanded. Past one, the
   * configuration is refused with a `ConfigError` naming the limit.
   * @defaultValue {@link DEFAULT_CONFIG_LIMITS} (4 MiB, 1,000,000 nodes)
   */
  limits?: Partial<ConfigLimits>;
}

const SECTION_NAMES = new Set<string>(sectionNames);

function warnAboutNearMisses(
  data: unknown,
  lines: LineIndex,
  source: string,
  logger: Logger | undefined,
  redact: (text: string) => string,
): void {
  if (logger?.warn === undefined) return;
  walkEntries(data, (record, key, path) => {
    if (SECTION_NAMES.has(key)) return false;
    // Stricter than for unknown keys of a section: an application key may resemble a section.
    const suggestion = key.length >= 6 ? didYouMean(key, sectionNames, 1, false) : undefined;
    if (suggestion !== undefined) {
      const line = lines.get(record)?.get(key);
      logger.warn?.(
        redact(
          `${source}${line === undefined ? '' : `:${line}`} ${formatPath([...path, key])}: '${key}' is not a section name, so it is not validated; did you mean '${suggestion}'?`,
        ),
        { file: source, line, key: redact(key), suggestion },
      );
    }
    return true;
  });
}

/**
 * Renders, parses and validates a configuration text: a Jinja-style template rendered with `env`
 * (a strict renderer that reads only variables, literals and Jinja's string and default filters;
 * see the package README), then YAML (anchors, aliases, merge keys; a repeated key: the last wins, with a
 * warning), then checked against the schemas wherever a key names a section. Values from the
 * environment are substituted after parsing, so characters that mean something in YAML (`:`,
 * `#`, quotes) stay part of the value.
 *
 * @param text - the configuration text.
 * @param options - `env`, `source`, `logger`, `limits`.
 * @returns the validated configuration; nothing is built.
 * @throws {@link ConfigError} with every problem found: template (a missing variable, by name and
 * line; a construct that is not data, such as attribute access, a call or an `{% include %}`),
 * size past `limits.maxBytes`, a lone surrogate, YAML syntax, aliases expanding past
 * `limits.maxNodes` (an undefined anchor...), empty document, and schema (wrong type, unknown
 * key with a "did you mean", missing key), each with the file, the path and the line.
 * @example
 * ```ts
 * const config = parseConfig(text, { env: { AWS_ACCESS_KEY_ID: 'AKIA...' }, source: 'app.yaml' });
 * const set = getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet');
 * ```
 * @public
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): CsAwsConfig {
  const source = options.source ?? '<config>';
  const env = options.env ?? process.env;
  const limits = resolveLimits(options.limits);
  const fail = (problems: ConfigProblem[]): never => {
    throw new ConfigError(boundProblems(problems));
  };

  // Characters are at most as many as bytes: a text longer than the limit is refused unmeasured.
  if (text.length > limits.maxBytes) fail([sizeProblem(undefined, limits, source)]);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) fail([sizeProblem(bytes, limits, source)]);
  const surrogate = findLoneSurrogate(text);
  if (surrogate !== undefined) {
    fail([
      {
        file: source,
        path: '',
        line: surrogate.line,
        message: `column ${surrogate.column}: a lone UTF-16 surrogate, which is not a character (no UTF-8 can write it): the text was decoded wrongly`,
      },
    ]);
  }

  const rendered = renderTemplate(text, env, { maxLength: limits.maxBytes });
  const redact = redactor(rendered.secrets);
  if (rendered.problems.length > 0) {
    fail(
      rendered.problems.map((p) => ({
        file: source,
        path: '',
        ...(p.line === undefined ? {} : { line: p.line }),
        message: redact(p.message),
      })),
    );
  }

  const parsed = parseYaml(rendered.text, {
    maxNodes: limits.maxNodes,
    sourceLines: rendered.sourceLines,
  });
  if (!parsed.ok) {
    const message = redact(
      parsed.message.replace(/\uE000([0-9a-z]+)\uE001/g, (token) => {
        const name = rendered.tokens.get(token)?.name;
        return name === undefined ? '' : `{{${name}}}`;
      }),
    );
    return fail([
      {
        file: source,
        path: '',
        ...(parsed.line === undefined ? {} : { line: parsed.line }),
        message,
      },
    ]);
  }

  const data = substituteTokens(parsed.data, rendered.tokens, parsed.lines);
  if (data === undefined || data === null) {
    return fail([
      {
        file: source,
        path: '',
        message: 'the document is empty: expected a mapping of sections (Account:, YourApp:, ...)',
      },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail([
      {
        file: source,
        path: '',
        line: 1,
        message: `expected a mapping of sections at the top level, got ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}`,
      },
    ]);
  }

  coerceDocument(data);
  const problems = validateAgainstSchema(data, 'document');
  if (problems.length > 0) {
    fail(placeProblems(problems, { file: source, data, lines: parsed.lines, redact }));
  }

  for (const duplicate of parsed.duplicates) {
    options.logger?.warn?.(
      redact(
        `${source}:${duplicate.line} the key '${duplicate.key}' is repeated (first at line ${duplicate.firstLine}): the last one wins`,
      ),
      {
        file: source,
        line: duplicate.line,
        firstLine: duplicate.firstLine,
        key: redact(duplicate.key),
      },
    );
  }
  warnAboutNearMisses(data, parsed.lines, source, options.logger, redact);
  rememberOrigin(data, { source, lines: parsed.lines });
  return data as CsAwsConfig;
}

/**
 * One problem found in a configuration: where it is and what was expected.
 *
 * @public
 */
export interface ConfigProblem {
  /** The file (or the `source` name given to `parseConfig`). */
  readonly file: string;
  /**
   * The path inside the document, e.g. `YourApp.RegionalAccountSet[1].RegionalAccounts.RateLimit.max_count`;
   * empty for a problem of the whole document (a template or YAML syntax error).
   */
  readonly path: string;
  /** The 1-based line in the file, when it can be told. */
  readonly line?: number;
  /** What went wrong and what was expected; never a configured value. */
  readonly message: string;
}

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The base class of this package's errors.
 *
 * @example
 * ```ts
 * if (error instanceof ConfigPackageError) console.error(error.message);
 * ```
 * @public
 */
export class ConfigPackageError extends Error {
  override readonly name: string = 'ConfigPackageError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['ConfigPackageError'];
}

/**
 * A configuration could not be loaded: unreadable, not a valid template, not valid YAML, or not
 * valid against the schemas. Holds every problem found, not only the first; its message lists them
 * all, one per line, as `file:line path: message`. Configured values are never echoed, so the
 * message is safe to print. `exitCode` is 2, the CLI's status for bad configuration.
 *
 * @example
 * ```ts
 * try { await loadConfig('cs-aws.yaml'); }
 * catch (e) { if (isConfigError(e)) { console.error(e.message); process.exitCode = e.exitCode; } }
 * ```
 * @public
 */
export class ConfigError extends ConfigPackageError {
  override readonly name = 'ConfigError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['ConfigPackageError', 'ConfigError'];
  /** The process exit status a command line tool should use for bad configuration. */
  readonly exitCode = 2;
  /** Every problem found, in document order. */
  readonly problems: readonly ConfigProblem[];

  /**
   * @param problems - every problem found (at least one).
   * @param options - `cause`: the underlying error, when there was one.
   */
  constructor(problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    super(ConfigError.formatMessage(problems), options);
    this.problems = Object.freeze([...problems]);
  }

  /** Formats problems as the error's message: a summary line, then one line per problem. */
  static formatMessage(problems: readonly ConfigProblem[]): string {
    const files = [...new Set(problems.map((p) => p.file))];
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const head = `invalid configuration ${files.join(', ')}: ${count}; fix the file and try again`;
    return [head, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
  }
}

/**
 * Formats one problem as `file:line path: message`.
 *
 * @param problem - the problem.
 * @returns one line of text.
 * @example
 * ```ts
 * formatProblem({ file: 'app.yaml', path: 'RateLimit.max_count', line: 3, message: 'expected an integer, got a string' });
 * // 'app.yaml:3 RateLimit.max_count: expected an integer, got a string'
 * ```
 * @public
 */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const path = problem.path === '' ? '' : ` ${problem.path}`;
  return `${where}${path}: ${problem.message}`;
}

/**
 * `createObject` was asked for a name that no factory is registered under, or
 * `registerFactory` was given a name that is already taken.
 *
 * @example
 * ```ts
 * try { createObject('myapp.missing'); }
 * catch (e) { if (isFactoryRegistryError(e)) console.error(e.factoryName, e.message); }
 * ```
 * @public
 */
export class FactoryRegistryError extends ConfigPackageError {
  override readonly name = 'FactoryRegistryError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'ConfigPackageError',
    'FactoryRegistryError',
  ];
  /**
   * @param message - what went wrong and what to do.
   * @param factoryName - the name asked for.
   */
  constructor(
    message: string,
    readonly factoryName: string,
  ) {
    super(message);
  }
}

/**
 * Whether `e` is a {@link ConfigError}; checks `name` too, so that two copies of the package agree.
 *
 * @param e - anything caught.
 * @example
 * ```ts
 * if (isConfigError(e)) for (const p of e.problems) console.error(formatProblem(p));
 * ```
 * @public
 */
export const isConfigError = (e: unknown): e is ConfigError => isErrorOf(e, ['ConfigError']);

/**
 * Whether `e` is a {@link FactoryRegistryError}; checks `name` too.
 *
 * @param e - anything caught.
 * @example
 * ```ts
 * if (isFactoryRegistryError(e)) console.error(`unknown factory ${e.factoryName}`);
 * ```
 * @public
 */
export const isFactoryRegistryError = (e: unknown): e is FactoryRegistryError =>
  isErrorOf(e, ['FactoryRegistryError']);

/**
 * Whether `e` is any error of this package; checks `name` too.
 *
 * @param e - anything caught.
 * @example
 * ```ts
 * if (isConfigPackageError(e)) process.exitCode = 2;
 * ```
 * @public
 */
export const isConfigPackageError = (e: unknown): e is ConfigPackageError =>
  isErrorOf(e, ['ConfigPackageError', 'ConfigError', 'FactoryRegistryError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

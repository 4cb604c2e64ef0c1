/**
 * The errors of the `cs-aws` command. Each carries the exit status the command ends with.
 */

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The base class of the command's own errors.
 *
 * @public
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['CliError'];
  /** The exit status the command ends with. */
  readonly exitCode: number = 1;
}

/**
 * The command line is wrong: an unknown command or option, a missing or malformed value. The
 * message says what and how to fix it; the command ends with status 2.
 *
 * @example
 * ```ts
 * throw new UsageError('--concurrency must be a whole number from 1 to 1000, not "x"');
 * ```
 * @public
 */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['CliError', 'UsageError'];
  override readonly exitCode = 2;
}

/**
 * The configuration cannot be used as asked, beyond what `@cs/config` checks: no section holds a
 * `RegionalAccountSet`, several do and `--app` is missing, or `--app` names none of them. The
 * command ends with status 2.
 *
 * @public
 */
export class AppSelectionError extends CliError {
  override readonly name = 'AppSelectionError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['CliError', 'AppSelectionError'];
  override readonly exitCode = 2;
  /**
   * @param message - what is wrong and what to do
   * @param candidates - the keys that hold a `RegionalAccountSet`
   */
  constructor(
    message: string,
    readonly candidates: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Whether `e` is a {@link CliError} (checks `name` too, so that two copies of the code agree).
 *
 * @param e - anything caught
 * @public
 */
export const isCliError = (e: unknown): e is CliError =>
  isErrorOf(e, ['CliError', 'UsageError', 'AppSelectionError']);

/**
 * Whether `e` is a {@link UsageError}.
 *
 * @param e - anything caught
 * @public
 */
export const isUsageError = (e: unknown): e is UsageError => isErrorOf(e, ['UsageError']);

/**
 * Whether `e` is an {@link AppSelectionError}.
 *
 * @param e - anything caught
 * @public
 */
export const isAppSelectionError = (e: unknown): e is AppSelectionError =>
  isErrorOf(e, ['AppSelectionError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

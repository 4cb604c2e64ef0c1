/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * Base class of every error this package throws: a file that cannot be read, a port in use, an
 * unknown account or role given to `model.*`, a bad injection rule.
 * @example
 * ```ts
 * try { aws.model.setRoleTrust('999999999999', 'Admin', []); } catch (e) { if (isLocalAwsError(e)) console.error(e.message); }
 * ```
 * @public
 */
export class LocalAwsError extends Error {
  override readonly name: string = 'LocalAwsError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['LocalAwsError'];
}

/** One problem of a fixture: where it is and what is wrong. @public */
export interface FixtureIssue {
  /** Path of the bad field, such as `accounts[2].roles[0].trust`. */
  path: string;
  message: string;
}

/**
 * A fixture is invalid; `issues` lists every problem at once as `path: message`.
 * @param issues - Every problem found, with the path of its field.
 * @param source - What was read: `fixture` or `fixture file <path>`.
 * @example
 * ```ts
 * try { await startLocalAws({ accounts: [{ id: '12' }] }); }
 * catch (e) { if (isFixtureError(e)) console.error(e.issues[0].path); } // accounts[0].id
 * ```
 * @public
 */
export class FixtureError extends LocalAwsError {
  override readonly name = 'FixtureError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['LocalAwsError', 'FixtureError'];
  constructor(
    readonly issues: readonly FixtureIssue[],
    readonly source = 'fixture',
  ) {
    super(
      `invalid @cs/aws-local ${source}; fix these fields:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/**
 * True for a {@link LocalAwsError} (a {@link FixtureError} included); checks `name` too, so that
 * two copies of the package (CJS and ESM) agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await startLocalAws('fixture.yaml'); } catch (e) { if (isLocalAwsError(e)) console.error(e.message); else throw e; }
 * ```
 * @public
 */
export const isLocalAwsError = (e: unknown): e is LocalAwsError =>
  isErrorOf(e, ['LocalAwsError', 'FixtureError']);

/**
 * True for a {@link FixtureError}, an invalid fixture; checks `name` too, so that two copies of the
 * package (CJS and ESM) agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await startLocalAws(fixture); } catch (e) { if (isFixtureError(e)) console.error(e.issues); }
 * ```
 * @public
 */
export const isFixtureError = (e: unknown): e is FixtureError => isErrorOf(e, ['FixtureError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

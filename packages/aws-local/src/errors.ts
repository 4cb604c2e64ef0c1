/** Base class of every error this package throws. @public */
export class LocalAwsError extends Error {
  override readonly name: string = 'LocalAwsError';
}

/** One problem of a fixture: where it is and what is wrong. @public */
export interface FixtureIssue {
  /** Path of the bad field, such as `accounts[2].roles[0].trust`. */
  path: string;
  message: string;
}

/**
 * A fixture is invalid; `issues` lists every problem at once as `path: message`.
 * @public
 */
export class FixtureError extends LocalAwsError {
  override readonly name = 'FixtureError';
  constructor(
    readonly issues: readonly FixtureIssue[],
    readonly source = 'fixture',
  ) {
    super(
      `invalid @cs/aws-local ${source}; fix these fields:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Checks `name` too, so that two copies of the package (CJS and ESM) agree. @public */
export const isLocalAwsError = (e: unknown): e is LocalAwsError =>
  e instanceof LocalAwsError ||
  (e instanceof Error && (e.name === 'LocalAwsError' || e.name === 'FixtureError'));

/** Checks `name` too, so that two copies of the package (CJS and ESM) agree. @public */
export const isFixtureError = (e: unknown): e is FixtureError =>
  e instanceof Error && e.name === 'FixtureError';

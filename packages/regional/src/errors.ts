/**
 * The base of the errors of `@cs/regional` ({@link RegionalError}, {@link isRegionalError}) and the
 * error brand its concepts share: each concept keeps its own errors next to it (`account/errors.ts`,
 * `regions/errors.ts`, `fanout/errors.ts`, `organization/errors.ts`), and every one has a readonly
 * `name` and a guard that reads the brand (`isErrorOf`), so that two copies of the package (CJS and
 * ESM) agree.
 */

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
export const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The base class of every error this package throws (errors of AWS are wrapped in
 * {@link AwsClientError}, itself a `RegionalError`).
 *
 * @example
 * ```ts
 * try { await ra.callClient('sts', 'GetCallerIdentity'); } catch (e) { if (isRegionalError(e)) console.warn(e.message); }
 * ```
 * @public
 */
export class RegionalError extends Error {
  override readonly name: string = 'RegionalError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['RegionalError'];
}

/**
 * Whether `e` is a {@link RegionalError} (any error of this package). Checks a brand that every
 * copy of the package shares, as well as `instanceof`.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionalError(e)) console.warn(e.message);
 * ```
 * @public
 */
export const isRegionalError = (e: unknown): e is RegionalError =>
  isErrorOf(e, [
    'RegionalError',
    'AwsClientError',
    'ServiceClientNotInstalledError',
    'UnknownOperationError',
    'OperationNotPaginatedError',
    'RegionRequiredError',
    'RegionFilterError',
    'FilterNotReplaceableError',
    'RegionNotSelectedError',
    'RegionDiscoveryRequiredError',
    'NotRegionalAccountsError',
    'FanOutStoppedError',
    'AccountNotActiveError',
    'OrganizationSpecError',
  ]);

/**
 * Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. Shared by
 * the guards of every concept's `errors.ts`; not exported from the package.
 */
export function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

/**
 * The errors of the fan-out (`fanout/`): a set built from something other than `RegionalAccounts`,
 * a fan-out stopped early.
 * Each extends {@link RegionalError} and has a guard that reads the cs-aws error brand
 * (CONTRIBUTING.md, "Errors").
 */

import { errorNames, isErrorOf, RegionalError } from '../errors';

/**
 * A RegionalAccountSet was given something that is not a RegionalAccounts container.
 *
 * @example
 * ```ts
 * new RegionalAccountSet(regionalAccount); // throws NotRegionalAccountsError
 * ```
 * @public
 */
export class NotRegionalAccountsError extends RegionalError {
  override readonly name = 'NotRegionalAccountsError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'NotRegionalAccountsError',
  ];
  /** @param what - a description of the value given */
  constructor(readonly what: string) {
    super(
      `a RegionalAccountSet holds RegionalAccounts containers only, got ${what}: wrap a single ` +
        'account in new RegionalAccounts({ Account, Filter }) (or regionalAccountsFactory) first',
    );
  }
}

/**
 * Whether `e` is a {@link NotRegionalAccountsError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isNotRegionalAccountsError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isNotRegionalAccountsError = (e: unknown): e is NotRegionalAccountsError =>
  isErrorOf(e, ['NotRegionalAccountsError']);

/**
 * A fan-out target was not run, or was abandoned, because the run stopped: it was aborted
 * (`signal`), or too many targets failed (`failFast`, `tolerance`). Such targets are reported as
 * `skipped` with this error.
 *
 * @example
 * ```ts
 * const { results } = await set.map(fn, { failFast: true });
 * results.filter((r) => isFanOutStoppedError(r.error)); // the targets the stop left out
 * ```
 * @public
 */
export class FanOutStoppedError extends RegionalError {
  override readonly name = 'FanOutStoppedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'FanOutStoppedError',
  ];
  /**
   * @param reason - why the run stopped
   * @param detail - what triggered it
   */
  constructor(
    readonly reason: 'aborted' | 'fail-fast' | 'tolerance',
    detail: string,
  ) {
    super(`the fan-out stopped (${reason}: ${detail}) before this target finished`);
  }
}

/**
 * Whether `e` is a {@link FanOutStoppedError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isFanOutStoppedError(r.error)) console.log('not run:', r.region);
 * ```
 * @public
 */
export const isFanOutStoppedError = (e: unknown): e is FanOutStoppedError =>
  isErrorOf(e, ['FanOutStoppedError']);

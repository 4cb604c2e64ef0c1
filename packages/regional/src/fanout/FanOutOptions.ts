/**
 * The options of a fan-out (`RegionalAccountSet.map` and `RegionalAccountSet.stream`).
 */

import type { ErrorClass } from './classifyError';
import type { FanOutResult } from './FanOutResult';
import type { FanOutSummary } from './FanOutSummary';

/**
 * A rule that turns a failure into a `skipped` target: an error class, or an object whose given
 * fields must all match (`class`: one class or several; `code`: the exact AWS or Node error code,
 * or a pattern; `message`: a case-insensitive substring, or a pattern).
 *
 * @example
 * ```ts
 * const ignore: IgnoreRule[] = ['region-not-enabled', { code: 'OptInRequired' }, { message: /not subscribed/ }];
 * ```
 * @public
 */
export type IgnoreRule =
  | ErrorClass
  | {
      readonly class?: ErrorClass | readonly ErrorClass[];
      readonly code?: string | RegExp;
      readonly message?: string | RegExp;
    };

/**
 * What `onProgress` receives after each target.
 *
 * @public
 */
export interface FanOutProgress<R, T = unknown> extends FanOutSummary {
  /** The result that just arrived. */
  readonly result: FanOutResult<R, T>;
}

/**
 * The options of a fan-out.
 *
 * @public
 */
export interface FanOutOptions<R, T = unknown> {
  /**
   * How many targets run at once (at least 1).
   * @defaultValue 16
   */
  concurrency?: number;
  /**
   * Cancels the run: no target starts after it fires, running targets see their own signal fire
   * and are reported `skipped` at once (a target function that ignores its signal is left to end
   * on its own, its outcome unreported), and every target not yet run is reported `skipped`.
   * @defaultValue none
   */
  signal?: AbortSignal;
  /**
   * Called after each target, with the result and the counts so far. An exception it throws ends
   * the run and is thrown by `map` (or the stream).
   * @defaultValue none
   */
  onProgress?: (progress: FanOutProgress<R, T>) => void;
  /**
   * Stop the run at the first failed target (same as `tolerance: 0`).
   * @defaultValue false
   */
  failFast?: boolean;
  /**
   * How many failed targets the run tolerates before it stops: a whole number is a count, a number
   * strictly between 0 and 1 a fraction of all targets (`0.1`: stop once more than 10 % failed).
   * Skipped targets never count.
   * @defaultValue Infinity (never stop)
   */
  tolerance?: number;
  /**
   * A time limit per target, in milliseconds: past it the target's signal fires and the target is
   * reported `failed` at once with a `TimeoutError` (class `network`); a function that ignores its
   * signal is left to end on its own, its outcome unreported.
   * @defaultValue none
   */
  timeout?: number;
  /**
   * Rules that turn a failure into a `skipped` target.
   * @defaultValue none
   */
  ignore?: readonly IgnoreRule[];
  /**
   * Read each account's alias (IAM `ListAccountAliases`, once per account) for the results'
   * `alias`. With `false` no IAM call is made: `alias` is the account's name in the organisation
   * for members listed from Organizations, else undefined. The account id is read either way
   * (once per account; never for members listed from Organizations).
   * @defaultValue true
   */
  aliases?: boolean;
  /**
   * The clock of `durationMs` (milliseconds).
   * @defaultValue `{ now: () => performance.now() }`
   */
  clock?: { now(): number };
}

/**
 * The settings of adaptive mode (`RegionalAccountOptions.adaptive`): how far the effective rate
 * drops on a throttling answer and how fast it climbs back.
 *
 * @example
 * ```ts
 * const ra = new RegionalAccount(limit, account, 'eu-west-1', { adaptive: { decrease: 0.7, increase: 2 } });
 * ```
 *
 * @public
 */
export interface AdaptiveOptions {
  /**
   * The factor applied to the rate on a throttling answer (0 < decrease < 1).
   * @defaultValue `0.8`
   */
  decrease?: number;
  /**
   * How many requests per interval the rate regains for each interval without a throttling answer.
   * @defaultValue `1`
   */
  increase?: number;
  /**
   * The rate never drops below this many requests per interval.
   * @defaultValue `1`
   */
  minCount?: number;
  /**
   * The interval in milliseconds used when the configured limit has none (unlimited).
   * @defaultValue `1000`
   */
  interval?: number;
}

/**
 * The seam through which the limiter reads time and waits. Tests inject their own; the default,
 * {@link systemClock}, calls the globals lazily so that fake timers and spies work.
 *
 * @example
 * ```ts
 * const clock: Clock = {
 *   now: () => Date.now(),
 *   sleep: (ms, signal) => new Promise((resolve) => setTimeout(resolve, ms)), // (ignores signal)
 * };
 * const limit = new RateLimitProperties({ maxCount: 5, interval: '1s', clock });
 * ```
 * @public
 */
export interface Clock {
  /**
   * The current time in milliseconds from an arbitrary origin. Must never go backwards
   * (a monotonic clock such as `performance.now()`, never the wall clock, which can jump).
   */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (it may resolve early: the limiter rechecks its window after
   * every wake-up). When `signal` aborts first, it must clear its timer and reject with
   * `signal.reason`. The limiter holds at most one pending sleep at a time, and none when idle,
   * and never asks for more than 2^31-1 ms (about 24.8 days, the longest `setTimeout` delay) at
   * once: a longer wait is made of several sleeps, with a store decision after each.
   *
   * @param ms - how long to wait, in milliseconds (may be fractional)
   * @param signal - cancels the sleep
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

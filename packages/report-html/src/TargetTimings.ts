/**
 * Records, per target, the time a fan-out spent waiting for rate limits and the throttling answers
 * and retries of its requests, from the events of each RegionalAccount.
 */

import type {
  FanOutFunction,
  FanOutResult,
  RateLimitWaitEvent,
  RegionalAccount,
  RetryEvent,
  ThrottledEvent,
} from '@cs/regional';

/**
 * What a target's requests waited for and went through.
 *
 * @public
 */
export interface TargetTiming {
  /** HTTP attempts sent (retries included). */
  readonly requests: number;
  /** Milliseconds spent waiting for rate-limit slots, all requests together. */
  readonly rateLimitWaitMs: number;
  /** Requests that had to wait for a slot. */
  readonly rateLimitWaits: number;
  /** Throttling answers from AWS. */
  readonly throttled: number;
  /** Retries made by the SDK (any cause). */
  readonly retries: number;
}

interface Counters {
  requests: number;
  rateLimitWaitMs: number;
  rateLimitWaits: number;
  throttled: number;
  retries: number;
  detach: () => void;
}

/**
 * Listens to the `request`, `rate-limit-wait`, `throttled` and `retry` events of the
 * RegionalAccounts of a run and counts them per target, for {@link renderReportHtml}'s `timing`
 * option. Wrap the fan-out function with {@link TargetTimingRecorder.wrap} (or call
 * {@link TargetTimingRecorder.watch} on each RegionalAccount) and {@link TargetTimingRecorder.close}
 * at the end of the run: RegionalAccounts are cached and outlive a run.
 *
 * @example
 * ```ts
 * const timings = new TargetTimingRecorder();
 * const report = await set.map(timings.wrap((ra) => ra.callClient('sts', 'GetCallerIdentity')));
 * timings.close();
 * const html = renderReportHtml(report, { timing: (r) => timings.timingOf(r) });
 * ```
 * @public
 */
export class TargetTimingRecorder {
  readonly #counters = new Map<RegionalAccount, Counters>();

  /**
   * Starts counting the events of a RegionalAccount (once; later calls do nothing).
   *
   * @param ra - a target of the run
   */
  watch(ra: RegionalAccount): void {
    if (this.#counters.has(ra)) return;
    const onRequest = (): void => {
      counters.requests += 1;
    };
    const onWait = (event: RateLimitWaitEvent): void => {
      counters.rateLimitWaits += 1;
      counters.rateLimitWaitMs += event.waitedMs;
    };
    const onThrottled = (_event: ThrottledEvent): void => {
      counters.throttled += 1;
    };
    const onRetry = (_event: RetryEvent): void => {
      counters.retries += 1;
    };
    const counters: Counters = {
      requests: 0,
      rateLimitWaitMs: 0,
      rateLimitWaits: 0,
      throttled: 0,
      retries: 0,
      detach: () => {
        ra.off('request', onRequest)
          .off('rate-limit-wait', onWait)
          .off('throttled', onThrottled)
          .off('retry', onRetry);
      },
    };
    ra.on('request', onRequest)
      .on('rate-limit-wait', onWait)
      .on('throttled', onThrottled)
      .on('retry', onRetry);
    this.#counters.set(ra, counters);
  }

  /**
   * A fan-out function that watches its RegionalAccount, then calls `fn`.
   *
   * @param fn - the work of each target
   * @returns the same work, recorded
   */
  wrap<R>(fn: FanOutFunction<R>): FanOutFunction<R> {
    return (ra, signal) => {
      this.watch(ra);
      return fn(ra, signal);
    };
  }

  /**
   * What a target's requests went through, or `undefined` for a target that was never watched.
   *
   * @param result - a result of the run (its `target` is the RegionalAccount)
   */
  timingOf(result: Pick<FanOutResult<unknown, unknown>, 'target'>): TargetTiming | undefined {
    const counters = this.#counters.get(result.target as RegionalAccount);
    if (counters === undefined) return undefined;
    const { requests, rateLimitWaitMs, rateLimitWaits, throttled, retries } = counters;
    return { requests, rateLimitWaitMs, rateLimitWaits, throttled, retries };
  }

  /** Stops listening to every RegionalAccount watched; the counts stay readable. */
  close(): void {
    for (const counters of this.#counters.values()) counters.detach();
  }
}

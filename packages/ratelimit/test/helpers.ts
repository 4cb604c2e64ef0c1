import type { Clock, RateLimitStore } from '../src/index';
import { MemoryRateLimitStore, systemClock } from '../src/index';

/** One definition for every rate-limit test and benchmark: the repository's test/windows.mjs. */
export { largestWindowCount } from '../../../test/windows.mjs';

/**
 * A clock on the (faked) globals that counts its pending sleeps, to check that a limiter holds at
 * most one timer, and none when idle.
 */
export function countingClock(): Clock & { pending: number; started: number; maxPending: number } {
  const clock = {
    pending: 0,
    started: 0,
    maxPending: 0,
    now: () => performance.now(),
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      clock.pending++;
      clock.started++;
      clock.maxPending = Math.max(clock.maxPending, clock.pending);
      let ended = false;
      // Ends when the timer fires or, synchronously, when the sleep is cancelled (its timer is
      // cleared then).
      const end = (): void => {
        if (!ended) {
          ended = true;
          clock.pending--;
        }
      };
      signal?.addEventListener('abort', end, { once: true });
      return systemClock.sleep(ms, signal).finally(end);
    },
  };
  return clock;
}

/** One grant seen by {@link LoggingStore}: when, and under which limit. */
export interface Grant {
  t: number;
  maxCount: number;
  interval: number;
}

/** A memory store that logs every grant with the true time of its decision. */
export class LoggingStore implements RateLimitStore {
  readonly synchronous = true;
  readonly grants: Grant[] = [];
  readonly inner = new MemoryRateLimitStore();
  take(clock: Pick<Clock, 'now'>, maxCount: number, interval: number): number {
    const d = this.inner.take(clock, maxCount, interval);
    if (d <= 0) this.grants.push({ t: clock.now(), maxCount, interval });
    return d;
  }
  clear(): void {
    this.inner.clear();
  }
}

/**
 * The grants that break the window guarantee: for each grant, the grants in the half-open window
 * `(t - interval, t]` under the limit in force when it was made, if there are more than `maxCount`.
 */
export function windowViolations(grants: readonly Grant[]): string[] {
  const out: string[] = [];
  let lo = 0;
  for (let i = 0; i < grants.length; i++) {
    const g = grants[i]!;
    // grants are in time order; count those with time > t - interval
    let count = 0;
    for (let j = i; j >= lo && grants[j]!.t > g.t - g.interval; j--) count++;
    if (count > g.maxCount) {
      out.push(
        `grant #${i} at ${g.t}: ${count} grants in (${g.t - g.interval}, ${g.t}] > ${g.maxCount}`,
      );
    }
    while (lo < i && grants[lo]!.t <= g.t - 3_600_000) lo++;
  }
  return out;
}

/** Settles after all pending microtasks and zero-delay work at the current fake time. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

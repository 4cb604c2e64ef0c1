import type { Clock } from './Clock';
import { MAX_TIMER_MS } from './internal/timers';

/**
 * The default {@link Clock}: `performance.now()` and `setTimeout`, both looked up at each call (so
 * that `vi.useFakeTimers()` and spies take effect). Its timer keeps the process alive while
 * someone waits for a slot, as any pending `await` should; an idle limiter holds no timer at all.
 *
 * @example
 * ```ts
 * const t0 = systemClock.now();
 * await systemClock.sleep(10);
 * ```
 * @public
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's abort reason, as given
        reject(signal.reason);
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's abort reason, as given
        reject(signal?.reason);
      };
      // setTimeout works in whole milliseconds; round up so that the wait is never cut short.
      // (NaN, from a store's bad answer, waits 1 ms, as setTimeout would, and ends.)
      let left = ms > 1 ? Math.ceil(ms) : 1;
      // A delay past 2^31-1 ms would fire after 1 ms: wait in steps of at most that long.
      const step = (): void => {
        if (left <= 0) {
          signal?.removeEventListener('abort', onAbort);
          resolve();
          return;
        }
        const now = Math.min(left, MAX_TIMER_MS);
        left -= now;
        timer = setTimeout(step, now);
      };
      step();
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

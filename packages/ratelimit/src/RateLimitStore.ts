import type { Clock } from './Clock';

/**
 * The answer of {@link RateLimitStore.take}: `0` (or any number `<= 0`) means "granted: one grant
 * was recorded"; a positive number means "refused: nothing was recorded; retry after this many
 * milliseconds", the earliest time at which a slot can free up under the same limit.
 *
 * A plain number, so that the in-memory store answers without allocating and a Redis script can
 * return it as an integer.
 *
 * @example
 * ```ts
 * const decision: RateLimitDecision = new MemoryRateLimitStore().take(systemClock, 100, 1000);
 * if (decision <= 0) console.log('granted');
 * else console.log(`retry after ${decision} ms`);
 * ```
 * @public
 */
export type RateLimitDecision = number;

/**
 * Where the state of a limiter (the log of its recent grants) lives. {@link RateLimitProperties}
 * makes every decision through its store; replacing the store (in-memory, shared memory across
 * worker threads, Redis across processes) never changes a caller.
 *
 * ## The contract
 *
 * `take(clock, maxCount, interval)` decides ONE acquisition, atomically with respect to every
 * other user of the same store. Let `now` be the time of the decision (see "Time" below):
 *
 * - Let W be the grants the store has recorded in the half-open window `(now - interval, now]`.
 *   If `|W| < maxCount`, record a grant at `now` and return `0`.
 * - Otherwise record nothing and return the time in milliseconds until the oldest grant of the
 *   `maxCount` most recent ones leaves the window: `t + interval - now` where `t` is the time of
 *   the `maxCount`-th most recent grant. Return a positive number (at least a fraction of a
 *   millisecond); never `0` for a refusal.
 *
 * This is a sliding-window log: it guarantees that no window of length `interval` ever holds more
 * than `maxCount` grants, unlike fixed windows or token buckets, which let up to twice the limit
 * through around a window edge.
 *
 * One exception to the first rule is allowed, for fairness between the store's users: a store may
 * refuse a slot the window has room for, to keep it for a user that has waited longer (the
 * shared-memory store keeps a line of waiting threads this way). It then returns a positive wait
 * as for any refusal. A store never grants beyond the window.
 *
 * `maxCount` and `interval` come with every call (they are properties of the limiter that any
 * caller may change at any time): the store must not cache them. `maxCount >= 1` and
 * `interval > 0` always; the limiter never calls the store while it is unlimited (and records
 * nothing then). Every grant should count under every later limit, including a longer interval or
 * a larger count set at run time, so a store should not simply drop old grants. It may keep exact
 * times only for the grants that the limits it has been asked about could count (the last
 * `max(maxCount seen)` grants younger than `max(interval seen)`) and fold older ones into a
 * summary counted at a later time than they were made (the memory store keeps one count and the
 * time of the newest folded grant). A store that must expire its data (a Redis key's TTL) should
 * document that a limit lengthened beyond the TTL forgets older grants. Grants are recorded in
 * non-decreasing time order: if `now` is earlier than the last recorded grant (two clocks), record
 * it at the last grant's time. A store may record a grant at a time LATER than the decision (it
 * then stays in the window longer: the guarantee holds), never earlier.
 *
 * ## Synchronous and asynchronous stores
 *
 * A store that decides in memory returns the number directly and sets `synchronous: true`: the
 * limiter's fast path (no waiters, slot free) then costs one call and no allocation, and
 * {@link RateLimitProperties.tryAcquire} works. A store that must ask another process (Redis)
 * returns a promise and sets `synchronous: false`; the limiter then awaits each decision, serves
 * its own waiters first-in first-out, and keeps at most one decision in flight for its waiters.
 * `tryAcquire()` cannot answer synchronously with such a store and throws a `RateLimitError`:
 * callers use `acquire()` with `block: false` instead.
 *
 * ## Time
 *
 * `clock` is the limiter's {@link Clock}; `clock.now()` gives milliseconds on a monotonic clock with
 * an arbitrary origin. It is passed rather than read by the limiter because reading a clock costs
 * more than the rest of an acquisition: a store reads it only when its decision needs the time
 * (the memory store skips it far below the limit). A store used by one thread may trust it. A
 * store shared between threads or processes must use a time base common to all its users instead,
 * and ignore `clock` or translate its reading:
 *
 * - shared memory across worker threads (`SharedArrayBuffer` + `Atomics`): `performance.timeOrigin
 *   + clock.now()` is comparable between threads of one machine; take a lock word with
 *   `Atomics.compareExchange` (or `Atomics.wait` on it) around the read-decide-append sequence,
 *   keep the log as a ring buffer in a `Float64Array` over the shared buffer;
 * - Redis: one Lua script (`EVALSHA`) reading `redis.call('TIME')`, trimming a sorted set or list
 *   of grant times, and either appending `now` and returning `0` or returning the wait in
 *   milliseconds; the key expires after `interval`. The result is a duration, valid in any time
 *   base.
 *
 * The limiter treats a returned wait as a hint: it sleeps on ONE timer for the first waiter and
 * asks the store again when the timer fires (timers can fire early), so an imprecise wait costs a
 * retry, never a broken guarantee.
 *
 * ## Errors
 *
 * A store may throw (or reject). The limiter passes the error to the acquisition that asked; a
 * waiter whose decision fails is rejected with it and leaves the queue, and the next waiter asks
 * again.
 *
 * @example
 * ```ts
 * // A store that counts its calls around the in-memory one.
 * class CountingStore implements RateLimitStore {
 *   readonly synchronous = true;
 *   calls = 0;
 *   #inner = new MemoryRateLimitStore();
 *   take(clock: Pick<Clock, 'now'>, maxCount: number, interval: number): RateLimitDecision {
 *     this.calls++;
 *     return this.#inner.take(clock, maxCount, interval);
 *   }
 *   clear(): void {
 *     this.#inner.clear();
 *   }
 * }
 * const limit = new RateLimitProperties({ maxCount: 10, interval: '1s', store: new CountingStore() });
 * ```
 * @public
 */
export interface RateLimitStore {
  /**
   * `true` when {@link RateLimitStore.take} always returns a number (never a promise). The
   * limiter reads it to allow {@link RateLimitProperties.tryAcquire}.
   */
  readonly synchronous: boolean;

  /**
   * Decides one acquisition: records a grant at `now` and returns `0` when fewer than `maxCount`
   * grants lie in `(now - interval, now]`; otherwise records nothing and returns the positive
   * number of milliseconds after which a retry can succeed. See the interface's contract.
   *
   * @param clock - the limiter's clock; `clock.now()` is the time in milliseconds (read it only
   *   when needed)
   * @param maxCount - the limit: at most this many grants in any window of `interval` (an integer, at least 1)
   * @param interval - the window length in milliseconds (positive)
   * @returns the {@link RateLimitDecision}, or a promise of it for a store that asks another process
   * @throws whatever the store's backend throws; the limiter passes it to the acquisition
   */
  take(
    clock: Pick<Clock, 'now'>,
    maxCount: number,
    interval: number,
  ): RateLimitDecision | PromiseLike<RateLimitDecision>;

  /**
   * Forgets every recorded grant (for tests, or to reset a limit deliberately).
   */
  clear(): void | PromiseLike<void>;
}

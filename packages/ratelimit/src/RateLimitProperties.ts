import type { Clock } from './Clock';
import { RateLimitError, RateLimitExceeded } from './errors';
import { MAX_TIMER_MS } from './internal/timers';
import { checkBlock, checkMaxCount } from './internal/validate';
import { MemoryRateLimitStore } from './MemoryRateLimitStore';
import { parseDuration } from './parseDuration';
import type { RateLimitDecision, RateLimitStore } from './RateLimitStore';
import { systemClock } from './systemClock';

/**
 * The options of {@link RateLimitProperties}.
 *
 * @example
 * ```ts
 * const options: RateLimitOptions = { maxCount: 100, interval: '1s', block: true };
 * ```
 * @public
 */
export interface RateLimitOptions {
  /**
   * At most this many grants in any window of `interval`; `0` means unlimited.
   * @defaultValue `0` (unlimited)
   */
  maxCount?: number;
  /**
   * The window length: milliseconds, or a duration string (`'250ms'`, `'1s'`, `'2m'`); `0` means
   * unlimited.
   * @defaultValue `0` (unlimited)
   */
  interval?: number | string;
  /**
   * `true`: an acquisition waits for its slot (first-in, first-out). `false`: it fails at once
   * with {@link RateLimitExceeded} when no slot is free.
   * @defaultValue `false`
   */
  block?: boolean;
  /**
   * Where the grants are recorded.
   * @defaultValue a new {@link MemoryRateLimitStore}
   */
  store?: RateLimitStore;
  /**
   * The time seam.
   * @defaultValue {@link systemClock} (`performance.now()` and `setTimeout`, looked up lazily)
   */
  clock?: Clock;
}

/**
 * The options of {@link RateLimitProperties.acquire}.
 * @public
 */
export interface AcquireOptions {
  /**
   * Cancels the wait: the acquisition then rejects with `signal.reason` (an `AbortError`
   * `DOMException` by default) and gives up its place in the queue.
   * @defaultValue none
   */
  signal?: AbortSignal | undefined;
}

/**
 * A snapshot of a limiter's counters ({@link RateLimitProperties.stats}).
 * @public
 */
export interface RateLimitStats {
  /** Acquisitions granted (immediately or after waiting). */
  readonly granted: number;
  /** Acquisitions refused: `RateLimitExceeded` from `acquire()`, and `false` from `tryAcquire()`. */
  readonly rejected: number;
  /** Acquisitions waiting for a slot now. */
  readonly waiting: number;
  /** Total milliseconds spent waiting by acquisitions whose wait has ended (granted or aborted). */
  readonly waitedMs: number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  start: number;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

// One resolved promise for every immediate grant: awaiting it costs what `await
// Promise.resolve()` costs, and nothing is allocated.
const GRANTED: Promise<void> = Promise.resolve();

const isPromiseLike = (v: unknown): v is PromiseLike<RateLimitDecision> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/**
 * A rate limit: never more than `maxCount` grants in ANY window of `interval` milliseconds (a
 * sliding-window log, checked against a monotonic clock). Every caller that holds the same object
 * shares one budget. `maxCount`, `interval` and `block` can be changed at any time by anyone: the
 * next acquisition obeys the new values, and waiters are re-examined at once.
 *
 * Blocking acquisitions wait first-in, first-out on ONE timer per limiter (none when idle, so an
 * idle limiter never keeps a process alive); a wait can be aborted with an `AbortSignal`.
 *
 * @example
 * ```ts
 * import { RateLimitProperties } from '@cs/ratelimit';
 *
 * const limit = new RateLimitProperties({ maxCount: 10, interval: '1s', block: true });
 * for (const id of ids) {
 *   await limit.acquire();            // at most 10 per second, in any window of 1 s
 *   await fetchItem(id);
 * }
 * console.log(limit.stats);           // { granted, rejected, waiting, waitedMs }
 * ```
 * @public
 */
export class RateLimitProperties {
  #maxCount: number;
  #interval: number;
  #block: boolean;
  readonly #store: RateLimitStore;
  readonly #sync: boolean;
  readonly #clock: Clock;

  #head: Waiter | undefined = undefined;
  #tail: Waiter | undefined = undefined;
  #waiting = 0;
  /**
   * The waiters of each signal, and the ONE listener this limiter keeps on it: an abort then costs
   * one pass over its waiters (a listener per waiter, each removing itself from a signal that is
   * dispatching, cost quadratic time, and warned of too many listeners).
   */
  readonly #signals = new Map<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>();
  /** The one pending sleep (the limiter's only timer), if any. */
  #timer: AbortController | undefined = undefined;
  /** An asynchronous store decision in flight for the queue head. */
  #deciding = false;
  /** The limit changed while a decision was in flight: decide again rather than sleep. */
  #changed = false;

  #granted = 0;
  #rejected = 0;
  #waitedMs = 0;

  /**
   * @param options - the limit; with no options, unlimited and non-blocking
   * @throws {@link RateLimitConfigError} when `maxCount` is not a non-negative integer, `interval`
   *   not a non-negative number or duration string, or `block` not a boolean
   * @example
   * ```ts
   * const limit = new RateLimitProperties({ maxCount: 5, interval: 250 });
   * ```
   */
  constructor(options: RateLimitOptions = {}) {
    this.#maxCount = checkMaxCount(options.maxCount ?? 0);
    this.#interval = parseDuration(options.interval ?? 0);
    this.#block = checkBlock(options.block ?? false);
    this.#store = options.store ?? new MemoryRateLimitStore();
    this.#sync = this.#store.synchronous;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * At most this many grants in any window of `interval`; `0` means unlimited. Setting it applies
   * to the next acquisition and re-examines the waiters at once.
   * @defaultValue `0`
   * @throws {@link RateLimitConfigError} (setter) for anything but a non-negative integer
   */
  get maxCount(): number {
    return this.#maxCount;
  }
  set maxCount(value: number) {
    this.#maxCount = checkMaxCount(value);
    this.#reexamine();
  }

  /**
   * The window length in milliseconds; `0` means unlimited. The setter also takes a duration
   * string (`'1s'`). Setting it applies to the next acquisition and re-examines the waiters.
   * @defaultValue `0`
   * @throws {@link RateLimitConfigError} (setter) for a negative number or an invalid duration
   */
  get interval(): number {
    return this.#interval;
  }
  set interval(value: number | string) {
    this.#interval = parseDuration(value);
    this.#reexamine();
  }

  /**
   * Whether an acquisition waits for a slot (`true`) or fails at once (`false`). Changing it does
   * not affect acquisitions already waiting.
   * @defaultValue `false`
   * @throws {@link RateLimitConfigError} (setter) for anything but a boolean
   */
  get block(): boolean {
    return this.#block;
  }
  set block(value: boolean) {
    this.#block = checkBlock(value);
  }

  /** Whether the limit is off (`maxCount` or `interval` is 0). */
  get unlimited(): boolean {
    return this.#maxCount === 0 || this.#interval === 0;
  }

  /** The store this limiter decides through. */
  get store(): RateLimitStore {
    return this.#store;
  }

  /**
   * A snapshot of the counters: grants, rejections, current waiters and time spent waiting.
   * @example
   * ```ts
   * const { granted, rejected, waiting, waitedMs } = limit.stats;
   * ```
   */
  get stats(): RateLimitStats {
    return {
      granted: this.#granted,
      rejected: this.#rejected,
      waiting: this.#waiting,
      waitedMs: this.#waitedMs,
    };
  }

  /**
   * Takes one slot. Resolves at once when a slot is free and nobody is waiting; otherwise, with
   * `block: true`, waits for its turn (first-in, first-out), and with `block: false` rejects.
   *
   * @param options - `signal` cancels the wait
   * @returns a promise that resolves when the slot is granted
   * @throws (rejects) {@link RateLimitExceeded} with `block: false` when no slot is free;
   *   `signal.reason` when the signal aborts first (the place in the queue is given up); an error
   *   of the store
   * @example
   * ```ts
   * const ac = new AbortController();
   * setTimeout(() => ac.abort(), 5000);
   * await limit.acquire({ signal: ac.signal });
   * ```
   */
  acquire(options?: AcquireOptions): Promise<void> {
    const signal = options?.signal;
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's abort reason, as given
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#head !== undefined || this.#deciding) {
      // Others are waiting: a free slot belongs to them first.
      return this.#block ? this.#enqueue(signal, undefined) : this.#exceeded();
    }
    if (this.#maxCount === 0 || this.#interval === 0) {
      this.#granted++;
      return GRANTED;
    }
    if (!this.#sync) {
      // Blocking callers of an asynchronous store go through the queue, to keep their order.
      return this.#block ? this.#enqueue(signal, undefined) : this.#acquireAsync();
    }
    let decision: RateLimitDecision;
    try {
      decision = this.#store.take(this.#clock, this.#maxCount, this.#interval) as RateLimitDecision;
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the store's error, as thrown
      return Promise.reject(error);
    }
    if (decision <= 0) {
      this.#granted++;
      return GRANTED;
    }
    return this.#block ? this.#enqueue(signal, decision) : this.#exceeded();
  }

  /**
   * Takes one slot if one is free and nobody is waiting, and says whether it did; never waits.
   *
   * @returns `true` when a slot was taken
   * @throws {@link RateLimitError} when the store decides asynchronously (`store.synchronous` is
   *   `false`): use `acquire()` with `block: false` then
   * @example
   * ```ts
   * if (limit.tryAcquire()) send(); else dropped++;
   * ```
   */
  tryAcquire(): boolean {
    if (this.#head !== undefined || this.#deciding) {
      this.#rejected++;
      return false;
    }
    if (this.#maxCount === 0 || this.#interval === 0) {
      this.#granted++;
      return true;
    }
    if (!this.#sync) {
      throw new RateLimitError(
        'tryAcquire() needs a store that decides synchronously; with this store, use acquire() with block: false',
      );
    }
    const decision = this.#store.take(this.#clock, this.#maxCount, this.#interval);
    if ((decision as number) <= 0) {
      this.#granted++;
      return true;
    }
    this.#rejected++;
    return false;
  }

  #exceeded(): Promise<never> {
    this.#rejected++;
    return Promise.reject(new RateLimitExceeded(this.#maxCount, this.#interval));
  }

  /** A non-blocking acquisition through an asynchronous store. */
  async #acquireAsync(): Promise<void> {
    const decision = await this.#store.take(this.#clock, this.#maxCount, this.#interval);
    if (decision <= 0) {
      this.#granted++;
      return;
    }
    return this.#exceeded();
  }

  #enqueue(signal: AbortSignal | undefined, wait: number | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        start: this.#clock.now(),
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#waiting++;
      if (signal) this.#watch(signal, waiter);
      if (this.#head === waiter && this.#timer === undefined && !this.#deciding) {
        if (wait !== undefined) this.#sleep(wait);
        else this.#pump();
      }
    });
  }

  #remove(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.#waiting--;
    if (waiter.signal) this.#unwatch(waiter.signal, waiter);
    this.#waitedMs += this.#clock.now() - waiter.start;
  }

  /** Adds `waiter` to the waiters of `signal`, listening to the signal once for all of them. */
  #watch(signal: AbortSignal, waiter: Waiter): void {
    let entry = this.#signals.get(signal);
    if (entry === undefined) {
      const waiters = new Set<Waiter>();
      const onAbort = (): void => {
        // The listener is gone (once): forget the signal before removing its waiters.
        this.#signals.delete(signal);
        for (const w of waiters) {
          w.signal = undefined;
          this.#remove(w);
          w.reject(signal.reason);
        }
        waiters.clear();
        if (this.#head === undefined) this.#cancelTimer();
      };
      entry = { waiters, onAbort };
      this.#signals.set(signal, entry);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    entry.waiters.add(waiter);
  }

  /** Removes `waiter` from the waiters of `signal`; the last one removes the listener. */
  #unwatch(signal: AbortSignal, waiter: Waiter): void {
    const entry = this.#signals.get(signal);
    if (entry === undefined) return;
    entry.waiters.delete(waiter);
    if (entry.waiters.size === 0) {
      this.#signals.delete(signal);
      signal.removeEventListener('abort', entry.onAbort);
    }
  }

  /** Grants the queue head. */
  #grantHead(): void {
    const waiter = this.#head;
    if (!waiter) return;
    this.#remove(waiter);
    this.#granted++;
    waiter.resolve();
  }

  /** Serves waiters in order while slots are free, then sleeps on the one timer for the head. */
  #pump(): void {
    while (this.#head !== undefined && !this.#deciding) {
      if (this.#maxCount === 0 || this.#interval === 0) {
        this.#grantHead();
        continue;
      }
      let decision: RateLimitDecision | PromiseLike<RateLimitDecision>;
      try {
        decision = this.#store.take(this.#clock, this.#maxCount, this.#interval);
      } catch (error) {
        this.#failHead(error);
        continue;
      }
      if (isPromiseLike(decision)) {
        this.#deciding = true;
        decision.then(
          (d) => {
            this.#deciding = false;
            const changed = this.#changed;
            this.#changed = false;
            // A grant made for a waiter that left meanwhile goes to the next one in line.
            if (d <= 0) this.#grantHead();
            else if (this.#head !== undefined && !changed) return this.#sleep(d);
            this.#pump();
          },
          (error: unknown) => {
            this.#deciding = false;
            this.#changed = false;
            this.#failHead(error);
            this.#pump();
          },
        );
        return;
      }
      if (decision <= 0) this.#grantHead();
      else return this.#sleep(decision);
    }
  }

  #failHead(error: unknown): void {
    const waiter = this.#head;
    if (!waiter) return;
    this.#remove(waiter);
    waiter.reject(error);
  }

  #sleep(ms: number): void {
    const timer = new AbortController();
    this.#timer = timer;
    // In steps a timer can honour: a longer wait wakes up every 24.8 days and asks the store again.
    this.#clock.sleep(Math.min(ms, MAX_TIMER_MS), timer.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = undefined;
        this.#pump(); // asks the store again: a timer may fire early
      },
      () => {
        // Cancelled: whoever cancelled it decides what happens next.
      },
    );
  }

  #cancelTimer(): void {
    const timer = this.#timer;
    if (timer) {
      this.#timer = undefined;
      timer.abort();
    }
  }

  /** After a change of the limit: decide again for the waiters, now. */
  #reexamine(): void {
    if (this.#deciding) this.#changed = true;
    if (this.#head === undefined || this.#deciding) return;
    this.#cancelTimer();
    this.#pump();
  }
}

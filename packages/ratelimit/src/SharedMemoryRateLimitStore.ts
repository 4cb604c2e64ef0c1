import type { Clock } from './Clock';
import { RateLimitConfigError, RateLimitError } from './errors';
import {
  BASE,
  BASE_OFFSET,
  CAPACITY,
  DEFAULT_CAPACITY,
  HEADER_BYTES,
  HEADER_WORDS,
  LAST_ID,
  MAGIC,
  MAGIC_VALUE,
  MAX_CAPACITY,
  QUEUE_END,
  QUEUE_OFFSET,
  WAITERS,
} from './internal/sharedMemory/layout';
import { WaitingLine } from './internal/sharedMemory/line';
import { lock, unlock } from './internal/sharedMemory/lock';
import { GrantRing } from './internal/sharedMemory/ring';
import type { RateLimitDecision, RateLimitStore } from './RateLimitStore';

/**
 * What {@link SharedMemoryRateLimitStore.toShared} returns: a plain object holding the store's
 * `SharedArrayBuffer`. Post it to a worker (`worker.postMessage(shared)`, `workerData`); the
 * buffer is shared, never copied, by the structured clone. Rebuild the store in the worker with
 * {@link SharedMemoryRateLimitStore.from}.
 *
 * @example
 * ```ts
 * const shared: SharedRateLimitState = store.toShared();
 * new Worker(file, { workerData: { limit: shared } });
 * ```
 * @public
 */
export interface SharedRateLimitState {
  /** Marks the object, so that {@link SharedMemoryRateLimitStore.from} can refuse anything else. */
  readonly kind: 'cs-ratelimit-shared-memory';
  /** The store's memory: a header with the lock word, the line of waiting threads, and the ring of grant times. */
  readonly buffer: SharedArrayBuffer;
}

/**
 * The options of {@link SharedMemoryRateLimitStore}.
 * @public
 */
export interface SharedMemoryRateLimitStoreOptions {
  /**
   * How many grant times the store remembers (8 bytes each, allocated once). It bounds the
   * `maxCount` the store can enforce: a decision with a larger `maxCount` throws a
   * {@link RateLimitConfigError} that says so, rather than judging with a truncated log.
   * @defaultValue `4096`
   */
  capacity?: number;
}

/** Set by `from()` for the one constructor call it makes: the memory to attach to. */
let attaching: { buffer: SharedArrayBuffer; capacity: number } | undefined;

/**
 * A {@link RateLimitStore} in shared memory (`SharedArrayBuffer` + `Atomics`), so that limiters in
 * several worker threads share ONE budget with the same sliding-window guarantee: never more than
 * `maxCount` grants, from all threads together, in any window of `interval`. No dependencies.
 *
 * Create it in one thread and hand it to the others with {@link SharedMemoryRateLimitStore.toShared}
 * (a plain object holding the `SharedArrayBuffer`, which `postMessage` and `workerData` share rather
 * than copy) and {@link SharedMemoryRateLimitStore.from}. Each thread builds its own
 * {@link RateLimitProperties} on its copy; waiters queue in their own thread, first-in first-out,
 * on that limiter's one timer, so waiting never blocks a worker's event loop.
 *
 * Across threads, the store keeps a line: when the window is full, each copy of the store (each
 * thread's, made by `from()`) that is refused takes a place in a table in the shared memory (64
 * places), and the threads in line get equal shares, first come first served. A freed slot goes
 * to the thread that has had the fewest grants while others waited, and among equals to the one
 * refused first, not to whichever thread's timer fires first; a burst of room (many grants
 * expiring together) is split evenly. A thread with room in the window still yields to the ones
 * it would be ahead of, and is told to wait until that can change. Being in line does not
 * delay anyone who has room after serving the line; the window alone decides while nobody waits
 * (the uncontended cost is one more load). A thread keeps its turn until 50 ms after the time it
 * was told to ask again (its timer may fire late): a thread that stops asking (terminated, its
 * waiters aborted, or a refused `tryAcquire()` not repeated) holds a freed slot for that long at
 * most, and loses its place once it has not asked for `interval` + 1 s. A thread that is late
 * keeps its place until then. With all 64 places taken, a further thread waits without one.
 *
 * How it decides: the log is a ring of the last `capacity` grant times (`Float64Array`). Each
 * decision takes a lock word (an `Atomics.compareExchange` spin around a critical section of a
 * dozen loads and stores; under contention a worker thread sleeps in `Atomics.wait` until the
 * holder releases it, so that a descheduled holder gets the core back, while the main thread only
 * ever spins), reads the time, compares it with the `maxCount`-th most recent grant, appends or
 * not (and, when threads wait, consults the line), and releases the lock.
 * Memory is fixed: `2608 + 8 × capacity` bytes. The ring keeps the last `capacity` grants whatever
 * their age, so a limit raised or lengthened at run time still counts every grant it should, as
 * long as `maxCount <= capacity`; a larger `maxCount` is refused with a clear error.
 *
 * Time: every thread judges on one time base, `performance.timeOrigin + clock.now()` (milliseconds
 * since the epoch, at microsecond resolution). Each thread's origin is the wall clock read when
 * that thread started, and `performance.now()` runs on the monotonic clock from there, so two
 * threads agree to a few microseconds, unless the wall clock was adjusted between their starts:
 * then they differ by that adjustment, and a thread whose origin is ahead may grant early by that
 * much (the log is held relative to the creating thread's origin, for precision). Grants are
 * recorded in non-decreasing order (a reading earlier than the last grant is taken as the last
 * grant's time), which only ever delays a grant.
 *
 * A thread terminated (`worker.terminate()`) inside the critical section would leave the lock
 * held: a lock held for more than one second is taken over. The fields are written in an order
 * that leaves, at every step, a log that is either exact or errs on the safe side (a grant that
 * counts for longer, never one that disappears early).
 *
 * @example
 * ```ts
 * // main thread
 * const store = new SharedMemoryRateLimitStore();
 * const limit = new RateLimitProperties({ maxCount: 200, interval: '1s', block: true, store });
 * const worker = new Worker('./worker.js', { workerData: { limit: store.toShared() } });
 *
 * // worker.js
 * const store = SharedMemoryRateLimitStore.from(workerData.limit);
 * const limit = new RateLimitProperties({ maxCount: 200, interval: '1s', block: true, store });
 * await limit.acquire(); // one budget for every thread
 * ```
 * @public
 */
export class SharedMemoryRateLimitStore implements RateLimitStore {
  /** Always `true`: decisions are made in memory, at once. */
  readonly synchronous = true;

  readonly #buffer: SharedArrayBuffer;
  /** The header words (see internal/sharedMemory/layout.ts). */
  readonly #words: Int32Array;
  /** The ring of grant times. */
  readonly #ring: GrantRing;
  /** The line of stores waiting for their turn. */
  readonly #line: WaitingLine;
  /** This object's id in the queue: unique among the objects on the memory, never 0. */
  readonly #id: number;
  readonly #capacity: number;
  /** The creating thread's `performance.timeOrigin`: the log holds times relative to it. */
  readonly #base: number;
  /** This thread's origin minus `#base`: `clock.now() + #origin` is the shared log's time. */
  readonly #origin: number;

  /**
   * Creates a store with its own new shared memory.
   *
   * @param options - `capacity`: how many grant times are remembered (the largest `maxCount`)
   * @throws {@link RateLimitConfigError} when `capacity` is not an integer from 1 to 16777216
   * @example
   * ```ts
   * const store = new SharedMemoryRateLimitStore({ capacity: 10_000 });
   * ```
   */
  constructor(options: SharedMemoryRateLimitStoreOptions = {}) {
    const attach = attaching;
    attaching = undefined;
    if (attach) {
      this.#buffer = attach.buffer;
      this.#capacity = attach.capacity;
    } else {
      const capacity = options.capacity ?? DEFAULT_CAPACITY;
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
        throw new RateLimitConfigError(
          'capacity',
          capacity,
          `an integer from 1 to ${MAX_CAPACITY}: the number of grant times the shared store remembers`,
        );
      }
      this.#buffer = new SharedArrayBuffer(HEADER_BYTES + 8 * capacity);
      this.#capacity = capacity;
      const words = new Int32Array(this.#buffer, 0, HEADER_WORDS);
      words[CAPACITY] = capacity;
      new Float64Array(this.#buffer, BASE_OFFSET, 1)[BASE] = performance.timeOrigin;
      Atomics.store(words, MAGIC, MAGIC_VALUE);
    }
    this.#words = new Int32Array(this.#buffer, 0, HEADER_WORDS);
    const meta = new Float64Array(this.#buffer, BASE_OFFSET, 2);
    this.#line = new WaitingLine(new Float64Array(this.#buffer, QUEUE_OFFSET, QUEUE_END), meta);
    this.#ring = new GrantRing(
      this.#words,
      new Float64Array(this.#buffer, HEADER_BYTES, this.#capacity),
    );
    this.#id = Atomics.add(this.#words, LAST_ID, 1) + 1;
    // Times are kept relative to the creating thread's origin: small numbers keep their
    // sub-microsecond precision, and the creating thread's own readings are stored unchanged.
    this.#base = meta[BASE]!;
    this.#origin = performance.timeOrigin - this.#base;
  }

  /**
   * Attaches to the shared memory of a store created in another thread (the object its
   * {@link SharedMemoryRateLimitStore.toShared} returned, received through `postMessage` or
   * `workerData`). Both objects then decide on one log.
   *
   * @param shared - the state received from the creating thread
   * @returns a store on the same memory
   * @throws {@link RateLimitError} when `shared` is not such a state (a copied `ArrayBuffer`, another
   *   object, or memory that no store initialised)
   * @example
   * ```ts
   * const store = SharedMemoryRateLimitStore.from(workerData.limit);
   * ```
   */
  static from(shared: SharedRateLimitState): SharedMemoryRateLimitStore {
    const buffer = (shared as Partial<SharedRateLimitState> | null | undefined)?.buffer;
    if (
      (shared as Partial<SharedRateLimitState> | null | undefined)?.kind !==
        'cs-ratelimit-shared-memory' ||
      !(buffer instanceof SharedArrayBuffer) ||
      buffer.byteLength < HEADER_BYTES + 8
    ) {
      throw new RateLimitError(
        'SharedMemoryRateLimitStore.from() needs the object that store.toShared() returned in the creating thread (posted as is, so that its SharedArrayBuffer is shared)',
      );
    }
    const words = new Int32Array(buffer, 0, HEADER_WORDS);
    const capacity = Atomics.load(words, CAPACITY);
    if (
      Atomics.load(words, MAGIC) !== MAGIC_VALUE ||
      buffer.byteLength !== HEADER_BYTES + 8 * capacity
    ) {
      throw new RateLimitError(
        'SharedMemoryRateLimitStore.from(): the shared buffer was not initialised by a SharedMemoryRateLimitStore (or by another version of it)',
      );
    }
    attaching = { buffer, capacity };
    return new SharedMemoryRateLimitStore();
  }

  /** How many grant times the store can remember: the largest `maxCount` it can enforce. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * The state to post to another thread: `{ kind, buffer }`, whose `SharedArrayBuffer` the
   * structured clone shares. Rebuild the store there with {@link SharedMemoryRateLimitStore.from}.
   *
   * @returns a plain, cloneable object
   * @example
   * ```ts
   * worker.postMessage({ limit: store.toShared() });
   * ```
   */
  toShared(): SharedRateLimitState {
    return { kind: 'cs-ratelimit-shared-memory', buffer: this.#buffer };
  }

  /**
   * The time on the base every thread shares: `performance.timeOrigin + clock.now()`, in
   * milliseconds since the epoch. Grant times in {@link SharedMemoryRateLimitStore.recentGrants}
   * are on this base.
   *
   * @param clock - the clock to read
   * @defaultValue `clock`: `performance`
   * @returns milliseconds since the epoch
   * @example
   * ```ts
   * const t = store.now();
   * ```
   */
  now(clock: Pick<Clock, 'now'> = performance): number {
    return this.#base + this.#origin + clock.now();
  }

  /**
   * Decides one acquisition for all threads at once (see {@link RateLimitStore.take}), with one
   * addition to that contract: while other threads wait in line, a copy may be refused although
   * the window has room, because that room is owed to them (see the class). The answer is then the
   * time until it can change.
   *
   * @param clock - this thread's clock, read once per decision and moved to the shared time base
   * @param maxCount - at most this many grants in any window of `interval`, from every thread
   * @param interval - the window length in milliseconds
   * @returns `0` when granted (and recorded), else the milliseconds to wait before a retry: until
   *   the window slides, or until a thread this one yields to lets its turn lapse
   * @throws {@link RateLimitConfigError} when `maxCount` exceeds the store's `capacity`
   */
  take(clock: Pick<Clock, 'now'>, maxCount: number, interval: number): RateLimitDecision {
    const capacity = this.#capacity;
    if (maxCount > capacity) {
      throw new RateLimitConfigError(
        'maxCount',
        maxCount,
        `at most ${capacity}, the capacity of this SharedMemoryRateLimitStore: create it with new SharedMemoryRateLimitStore({ capacity: ${maxCount} }) or more`,
      );
    }
    const ring = this.#ring;
    lock(this.#words);
    try {
      let now = this.#origin + clock.now();
      const head = ring.head;
      const size = ring.size;
      if (size > 0) {
        const lastTime = ring.fromEnd(head, size, 1);
        if (now < lastTime) now = lastTime; // two clocks on one log: keep it in order
      }
      // Nobody waits: the window alone decides. The maxCount-th most recent grant must have left
      // it: t + interval <= now.
      if (
        this.#words[WAITERS] === 0 &&
        (size < maxCount || ring.fromEnd(head, size, maxCount) + interval <= now)
      ) {
        ring.append(head, size, now);
        return 0;
      }
      return this.#takeInTurn(now, head, size, maxCount, interval);
    } finally {
      unlock(this.#words);
    }
  }

  /**
   * Decides when the line of competing stores is not empty (or the window is full), so that every
   * waiting store gets an equal share, first come first served among equals. Each entry counts the
   * grants its store had while others waited (SERVED). A store may take a slot only if the window
   * keeps room for what it owes the live waiters: to each, the grants it is ahead of that waiter
   * by, plus one if that waiter holds an older ticket. So a lone slot goes to the least-served,
   * longest-waiting store, and a burst of room is split evenly rather than taken by the first to
   * wake. A store that was not waiting joins at the least-served live waiter's count, so that an
   * absence never earns a catch-up. Otherwise it takes (or keeps) its place and answers the wait
   * until the answer can change: the window slides, or a waiter it yields to lets its turn lapse.
   * Called under the lock, with `now` on the log's time base and in its order.
   */
  #takeInTurn(
    now: number,
    head: number,
    size: number,
    maxCount: number,
    interval: number,
  ): RateLimitDecision {
    const line = this.#line;
    const id = this.#id;
    const found = line.find(id, now, interval);
    let { mine, entries } = found;
    const { others, least } = line.live(found, now);
    // A store that was not waiting (or whose turn lapsed) joins at the least-served live
    // waiter's count.
    let served = mine < 0 ? 0 : line.served(mine);
    if (others > 0 && served < least && (mine < 0 || !line.isLive(mine, now))) served = least;
    const place = mine < 0 ? Infinity : line.place(mine);
    const { owed, lapse } =
      others > 0 ? line.owed(mine, served, place, now) : { owed: 0, lapse: Infinity };
    // Room for this grant and what it owes: the (maxCount - owed)-th most recent grant must have
    // left the window.
    const wait = this.#ring.room(head, size, maxCount - owed, interval, now, lapse - now);
    if (wait === 0) {
      this.#ring.append(head, size, now);
      if (others === 0) {
        if (mine >= 0) {
          line.leave(mine); // nobody else waits: it leaves the line
          entries--;
        }
      } else {
        // Others wait: count the grant and go behind them among equals. It stays live for
        // RETRY_GRACE_MS, as a store with more waiters asks again at once (its thread may be
        // descheduled before it does).
        mine = line.enter(mine);
        if (mine >= 0) {
          if (line.isFree(mine)) entries++;
          line.write(mine, id, served + 1, now, now);
        }
      }
      this.#words[WAITERS] = entries;
      return 0;
    }
    // Refused: keep this store's place in line, or take the last one. (With every entry taken, it
    // waits without one, and is served when the window has room for all it owes, as before.)
    if (mine < 0) {
      mine = line.enter(mine);
      if (mine >= 0) entries++;
    }
    if (mine >= 0) line.write(mine, id, served, now, now + wait);
    this.#words[WAITERS] = entries;
    return wait;
  }

  /**
   * The grant times the store remembers (the last `capacity` grants, from every thread), oldest
   * first, in milliseconds on the shared time base (see {@link SharedMemoryRateLimitStore.now}).
   * For diagnostics and tests.
   *
   * @returns a new array
   * @example
   * ```ts
   * const last = store.recentGrants().at(-1);
   * ```
   */
  recentGrants(): number[] {
    lock(this.#words);
    try {
      return this.#ring.times(this.#base);
    } finally {
      unlock(this.#words);
    }
  }

  /** Forgets every grant and every place in line, for every thread. */
  clear(): void {
    lock(this.#words);
    try {
      this.#ring.clear();
      this.#line.clear();
      this.#words[WAITERS] = 0;
    } finally {
      unlock(this.#words);
    }
  }
}

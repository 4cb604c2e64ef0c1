import { isMainThread } from 'node:worker_threads';
import type { Clock } from './Clock';
import { RateLimitConfigError, RateLimitError } from './errors';
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

// Header words (Int32Array over the first HEADER_WORDS words).
const LOCK = 0;
const MAGIC = 1;
const CAPACITY = 2;
const HEAD = 3;
const SIZE = 4;
/** Counts lock acquisitions, so that a lock held by a dead thread can be told from a busy one. */
const GENERATION = 5;
/** How many entries the queue of waiting stores holds; 0 keeps decisions on the fast path. */
const WAITERS = 6;
/** The last store-object id handed out (each object made on the memory takes the next one). */
const LAST_ID = 7;
const HEADER_WORDS = 8;
/** After the words: Float64s, the creating thread's `performance.timeOrigin`, then the last ticket. */
const BASE_OFFSET = HEADER_WORDS * 4;
const BASE = 0;
const TICKET = 1;
const QUEUE_OFFSET = BASE_OFFSET + 16;
/**
 * The line of competing stores: QUEUE_SLOTS entries of ENTRY Float64s each, one per store object
 * (so per thread, as each thread attaches its own) that was refused while the window was full
 * and has asked within `interval` + FORGET_MS since.
 */
const QUEUE_SLOTS = 64;
const ENTRY = 5;
/** Entry fields: the owner's id (0: a free entry), ... */
const OWNER = 0;
/** ... its ticket (its place among equals: from a counter, renewed at each grant), ... */
const PLACE = 1;
/** ... the time of its last decision, ... */
const LAST = 2;
/**
 * ... the time it was told to ask again (its last grant's, after a grant): it counts as waiting
 * until then plus RETRY_GRACE_MS, ...
 */
const RETRY = 3;
/** ... and how many grants it has had while others waited (its virtual time, for equal shares). */
const SERVED = 4;
const QUEUE_END = QUEUE_SLOTS * ENTRY;
const HEADER_BYTES = QUEUE_OFFSET + QUEUE_END * 8;
const MAGIC_VALUE = 0x63735232; // 'csR2': the layout with the queue
const MAX_CAPACITY = 1 << 24;
const DEFAULT_CAPACITY = 4096;
/** A lock held longer than this was left by a thread that died inside its critical section. */
const STUCK_LOCK_MS = 1000;
/**
 * A waiter keeps its turn this long past the time it was told to ask again (its timer may fire
 * late on a busy machine); after that, the stores behind it may take the slot it was owed.
 */
const RETRY_GRACE_MS = 50;
/**
 * An entry whose owner has not asked for `interval` plus this long (a thread that was terminated,
 * whose waiters were aborted, or that stopped asking) is removed: it loses its place in line.
 */
const FORGET_MS = 1000;

/** Whether this thread may sleep in `Atomics.wait`: never the main thread. */
const canSleep = !isMainThread;

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
  readonly #words: Int32Array;
  readonly #times: Float64Array;
  /** The base time and the ticket counter. */
  readonly #meta: Float64Array;
  /** The queue of waiting stores (see QUEUE_SLOTS). */
  readonly #queue: Float64Array;
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
    this.#meta = new Float64Array(this.#buffer, BASE_OFFSET, 2);
    this.#queue = new Float64Array(this.#buffer, QUEUE_OFFSET, QUEUE_END);
    this.#times = new Float64Array(this.#buffer, HEADER_BYTES, this.#capacity);
    this.#id = Atomics.add(this.#words, LAST_ID, 1) + 1;
    // Times are kept relative to the creating thread's origin: small numbers keep their
    // sub-microsecond precision, and the creating thread's own readings are stored unchanged.
    this.#base = this.#meta[BASE]!;
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
    const words = this.#words;
    const times = this.#times;
    this.#lock();
    try {
      let now = this.#origin + clock.now();
      const head = words[HEAD]!;
      const size = words[SIZE]!;
      if (size > 0) {
        let last = head + size - 1;
        if (last >= capacity) last -= capacity;
        const lastTime = times[last]!;
        if (now < lastTime) now = lastTime; // two clocks on one log: keep it in order
      }
      if (words[WAITERS] === 0) {
        // Nobody waits: the window alone decides. The maxCount-th most recent grant must have
        // left it: t + interval <= now.
        let free = size < maxCount;
        if (!free) {
          let at = head + size - maxCount;
          if (at >= capacity) at -= capacity;
          free = times[at]! + interval <= now;
        }
        if (free) {
          // Append: write the time first, then publish it by moving size (or head, when full).
          let at = head + size;
          if (at >= capacity) at -= capacity;
          times[at] = now;
          if (size < capacity) words[SIZE] = size + 1;
          else words[HEAD] = head + 1 === capacity ? 0 : head + 1;
          return 0;
        }
      }
      return this.#takeInTurn(now, head, size, maxCount, interval);
    } finally {
      this.#unlock();
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
    const queue = this.#queue;
    const id = this.#id;
    const forgetBefore = now - interval - FORGET_MS;
    // Find this store's entry, forget the owners that stopped asking, and recount.
    let mine = -1;
    let entries = 0;
    for (let e = 0; e < QUEUE_END; e += ENTRY) {
      const owner = queue[e + OWNER]!;
      if (owner === 0) continue;
      if (queue[e + LAST]! < forgetBefore) {
        queue[e + OWNER] = 0;
        continue;
      }
      entries++;
      if (owner === id) mine = e;
    }
    // The live waiters besides this store: refused, and not yet RETRY_GRACE_MS past the time they
    // were told to ask again (a thread that was terminated or stopped asking lapses then).
    let others = 0;
    let least = Infinity;
    if (entries > (mine < 0 ? 0 : 1)) {
      for (let e = 0; e < QUEUE_END; e += ENTRY) {
        if (queue[e + OWNER] === 0 || e === mine || queue[e + RETRY]! + RETRY_GRACE_MS <= now) {
          continue;
        }
        others++;
        const served = queue[e + SERVED]!;
        if (served < least) least = served;
      }
    }
    let served = mine < 0 ? 0 : queue[mine + SERVED]!;
    if (
      others > 0 &&
      served < least &&
      (mine < 0 || queue[mine + RETRY]! + RETRY_GRACE_MS <= now)
    ) {
      served = least; // (re)joining: at the least-served live waiter's count
    }
    const place = mine < 0 ? Infinity : queue[mine + PLACE]!;
    // What this store owes the live waiters, and when the first of them it owes lapses.
    let owed = 0;
    let lapse = Infinity;
    if (others > 0) {
      for (let e = 0; e < QUEUE_END; e += ENTRY) {
        if (queue[e + OWNER] === 0 || e === mine) continue;
        const until = queue[e + RETRY]! + RETRY_GRACE_MS;
        if (until <= now) continue;
        // The grants that waiter has before this store's next, in round-robin order: one per
        // grant it is behind, and the tie when it holds the older ticket.
        const behind = served - queue[e + SERVED]!;
        const owes = behind > 0 ? behind : behind === 0 && queue[e + PLACE]! < place ? 1 : 0;
        if (owes === 0) continue;
        owed += owes;
        if (until < lapse) lapse = until;
      }
    }
    // Room for this grant and what it owes: the (maxCount - owed)-th most recent grant must have
    // left the window.
    const capacity = this.#capacity;
    const times = this.#times;
    const need = maxCount - owed;
    let wait = lapse - now;
    let free = false;
    if (need > 0) {
      if (size < need) free = true;
      else {
        let at = head + size - need;
        if (at >= capacity) at -= capacity;
        const slides = times[at]! + interval - now;
        if (slides <= 0) free = true;
        else if (slides < wait) wait = slides;
      }
    }
    const words = this.#words;
    if (free) {
      let at = head + size;
      if (at >= capacity) at -= capacity;
      times[at] = now;
      if (size < capacity) words[SIZE] = size + 1;
      else words[HEAD] = head + 1 === capacity ? 0 : head + 1;
      if (others === 0) {
        if (mine >= 0) {
          queue[mine + OWNER] = 0; // nobody else waits: it leaves the line
          entries--;
        }
      } else {
        // Others wait: count the grant and go behind them among equals. It stays live for
        // RETRY_GRACE_MS, as a store with more waiters asks again at once (its thread may be
        // descheduled before it does).
        mine = this.#enter(mine);
        if (mine >= 0) {
          if (queue[mine + OWNER] === 0) entries++;
          queue[mine + SERVED] = served + 1;
          queue[mine + LAST] = now;
          queue[mine + RETRY] = now;
          queue[mine + OWNER] = id; // publish the entry last
        }
      }
      words[WAITERS] = entries;
      return 0;
    }
    // Refused: keep this store's place in line, or take the last one. (With every entry taken, it
    // waits without one, and is served when the window has room for all it owes, as before.)
    if (mine < 0) {
      mine = this.#enter(mine);
      if (mine >= 0) entries++;
    }
    if (mine >= 0) {
      queue[mine + SERVED] = served;
      queue[mine + LAST] = now;
      queue[mine + RETRY] = now + wait;
      queue[mine + OWNER] = id; // publish the entry last
    }
    words[WAITERS] = entries;
    return wait;
  }

  /**
   * A place for this store: its entry `mine`, renewed with the next ticket (behind every other
   * entry), or a free entry with that ticket (its owner not yet written). -1 when all are taken.
   */
  #enter(mine: number): number {
    const queue = this.#queue;
    let e = mine;
    if (e < 0) {
      for (let f = 0; f < QUEUE_END; f += ENTRY) {
        if (queue[f + OWNER] === 0) {
          e = f;
          break;
        }
      }
      if (e < 0) return -1;
    }
    const ticket = this.#meta[TICKET]! + 1;
    this.#meta[TICKET] = ticket;
    queue[e + PLACE] = ticket;
    return e;
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
    this.#lock();
    try {
      const head = this.#words[HEAD]!;
      const size = this.#words[SIZE]!;
      const out = new Array<number>(size);
      const base = this.#base;
      for (let i = 0; i < size; i++) out[i] = base + this.#times[(head + i) % this.#capacity]!;
      return out;
    } finally {
      this.#unlock();
    }
  }

  /** Forgets every grant and every place in line, for every thread. */
  clear(): void {
    this.#lock();
    try {
      this.#words[SIZE] = 0;
      this.#words[HEAD] = 0;
      this.#queue.fill(0);
      this.#words[WAITERS] = 0;
    } finally {
      this.#unlock();
    }
  }

  /**
   * Takes the lock word, a futex-style mutex (0 free, 1 held, 2 held with sleepers). The holder
   * keeps it for a few hundred nanoseconds, so a contender spins a little first. When the holder
   * was descheduled (more threads than cores), spinning would burn whole time slices: a worker
   * thread then sleeps in `Atomics.wait` until the holder's release wakes it; the main thread, which
   * must never block, keeps spinning (it waits at most for the holder's time slice).
   */
  #lock(): void {
    const words = this.#words;
    if (Atomics.compareExchange(words, LOCK, 0, 1) === 0) {
      Atomics.add(words, GENERATION, 1);
      return;
    }
    for (let spins = 0; spins < 100; spins++) {
      if (Atomics.load(words, LOCK) === 0 && Atomics.compareExchange(words, LOCK, 0, 1) === 0) {
        Atomics.add(words, GENERATION, 1);
        return;
      }
    }
    let since = 0;
    let generation = 0;
    for (let rounds = 1; ; rounds++) {
      // Mark the lock contended (2), so that its release wakes a sleeper; acquire it if free.
      if (Atomics.exchange(words, LOCK, 2) === 0) {
        Atomics.add(words, GENERATION, 1);
        return;
      }
      if (canSleep) Atomics.wait(words, LOCK, 2, 10);
      if (canSleep || (rounds & 0x3ff) === 0) {
        const t = performance.now();
        const g = Atomics.load(words, GENERATION);
        if (since === 0 || g !== generation) {
          since = t;
          generation = g;
        } else if (
          t - since > STUCK_LOCK_MS &&
          Atomics.compareExchange(words, GENERATION, g, g + 1) === g
        ) {
          // Held by one holder for a second: it died inside the critical section
          // (worker.terminate()). The lock word stays set: it is ours now.
          return;
        }
      }
    }
  }

  /** Releases the lock word, waking one sleeper if it was marked contended. */
  #unlock(): void {
    if (Atomics.exchange(this.#words, LOCK, 0) === 2) Atomics.notify(this.#words, LOCK, 1);
  }
}

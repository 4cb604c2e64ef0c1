import type { Clock } from './Clock';
import type { RateLimitDecision, RateLimitStore } from './RateLimitStore';

/**
 * The in-memory {@link RateLimitStore}, the default: a sliding-window log of grant times, decided
 * synchronously, without allocating.
 *
 * The log is a ring buffer (`Float64Array`) of buckets `(time, cumulative count)`. A grant is
 * stamped with a time after its caller has resumed, not the time of the decision: the store
 * counts it at once, and stamps it in a microtask queued behind the `await` continuations of the
 * callers it granted in the same job. On a busy machine a burst of grants and their continuations
 * can take many milliseconds; stamping each at its decision would let the next window open before
 * the burst's callers had run. Until it is stamped, a grant counts as inside every window. Far below the limit, grants are not stamped one by
 * one at all (reading the clock costs more than the rest of an acquisition): while fewer than
 * `maxCount` grants are remembered in all, up to `max(1, floor(maxCount / 128))` of them are
 * counted as pending and stamped with a later reading. A later stamp keeps a grant in the window
 * longer, never shorter, so the guarantee holds; the cost is that at most 1/128 of the limit can
 * be refused early for one interval (none with `maxCount <= 255`).
 *
 * It keeps exact times for the grants that any limit it has been asked about could count (the last
 * `max(maxCount seen)` grants younger than `max(interval seen)`) and folds older ones into one
 * summary, counted as if made at the time of the newest folded grant: a limit raised and
 * lengthened at run time still counts every grant (at worst a little later than it was made).
 * Memory: 16 bytes per bucket, at most one bucket per clock reading and per kept grant.
 *
 * Shared by every caller of the {@link RateLimitProperties} that holds it (one thread). Pass one
 * instance to two limiters only if they read the same clock.
 *
 * @example
 * ```ts
 * const store = new MemoryRateLimitStore();
 * const clock = { now: () => 0 };
 * store.take(clock, 2, 1000); // 0: granted
 * store.take(clock, 2, 1000); // 0: granted
 * store.take(clock, 2, 1000); // 1000: retry after 1000 ms
 * ```
 * @public
 */
export class MemoryRateLimitStore implements RateLimitStore {
  /** Always `true`: decisions are made in memory, at once. */
  readonly synchronous = true;

  /** Bucket times. */
  #times = new Float64Array(16);
  /** Bucket ends: the number of grants stamped up to and including the bucket, since creation. */
  #ends = new Float64Array(16);
  #mask = 15;
  #head = 0;
  #buckets = 0;
  /** Grants stamped since creation (= the last bucket's end). */
  #total = 0;
  /** Grants folded into the summary (grants 1..folded), and the summary's time. */
  #folded = 0;
  #foldedAt = Number.NEGATIVE_INFINITY;
  /** Grants made but not yet stamped with a time. */
  #pending = 0;
  /** The latest clock reading: time never goes back before it. */
  #lastNow = Number.NEGATIVE_INFINITY;
  /** The clock of the last decision, read again to stamp pending grants. */
  #clock: Pick<Clock, 'now'> | undefined = undefined;
  #stampQueued = false;
  /** Grants the running stamp will stamp, and slow-path grants decided since it was planned. */
  #toStamp = 0;
  #decidedSince = 0;
  /**
   * Queued when the first grant of a job is decided, this runs after the job, and queues the stamp
   * behind the continuations that the job's grants have queued meanwhile (`await` resumes its
   * caller in the microtask queued when the acquisition resolves).
   */
  readonly #stampAfterCallers = (): void => {
    this.#toStamp = this.#pending;
    this.#decidedSince = 0;
    queueMicrotask(this.#stamp);
  };
  /**
   * Stamps the grants planned by {@link #stampAfterCallers}. Grants decided meanwhile (by the
   * resumed callers) have their continuations queued behind this: they get a stamp of their own.
   */
  readonly #stamp = (): void => {
    const n = Math.min(this.#toStamp, this.#pending);
    this.#toStamp = 0;
    if (n > 0 && this.#clock !== undefined) {
      let now = this.#clock.now();
      if (now < this.#lastNow) now = this.#lastNow;
      else this.#lastNow = now;
      this.#append(now, n);
      this.#pending -= n;
    }
    if (this.#decidedSince > 0 && this.#pending > 0) queueMicrotask(this.#stampAfterCallers);
    else this.#stampQueued = false;
  };
  /** How many grants may be pending, for the `maxCount` it was computed for. */
  #batch = 1;
  #batchFor = 0;
  #maxCountSeen = 0;
  #intervalSeen = 0;

  /** The number of grants remembered with their own time, pending ones included (diagnostics). */
  get size(): number {
    return this.#total - this.#folded + this.#pending;
  }

  /**
   * Decides one acquisition (see {@link RateLimitStore.take}).
   *
   * @param clock - read only when the decision needs the time
   * @param maxCount - at most this many grants in any window of `interval`
   * @param interval - the window length in milliseconds
   * @returns `0` when granted (and recorded), else the milliseconds to wait before a retry
   */
  take(clock: Pick<Clock, 'now'>, maxCount: number, interval: number): RateLimitDecision {
    if (maxCount !== this.#batchFor) {
      this.#batchFor = maxCount;
      this.#batch = Math.max(1, Math.floor(maxCount / 128));
      if (maxCount > this.#maxCountSeen) this.#maxCountSeen = maxCount;
    }
    if (interval > this.#intervalSeen) this.#intervalSeen = interval;
    const pending = this.#pending;
    // Fast path: fewer than maxCount grants could lie in any window ending now (now >= lastNow),
    // so the grant is safe without reading the clock; it is stamped at the next reading.
    if (
      pending + 1 < this.#batch &&
      this.#total -
        this.#folded +
        pending +
        (this.#foldedAt + interval > this.#lastNow ? this.#folded : 0) <
        maxCount
    ) {
      this.#pending = pending + 1;
      return 0;
    }
    this.#clock = clock;
    return this.#decide(clock.now(), maxCount, interval);
  }

  /** Forgets every grant (and the largest limits seen). */
  clear(): void {
    this.#times = new Float64Array(16);
    this.#ends = new Float64Array(16);
    this.#mask = 15;
    this.#head = 0;
    this.#buckets = 0;
    this.#total = 0;
    this.#folded = 0;
    this.#foldedAt = Number.NEGATIVE_INFINITY;
    this.#pending = 0;
    this.#lastNow = Number.NEGATIVE_INFINITY;
    this.#clock = undefined;
    this.#toStamp = 0;
    this.#decidedSince = 0;
    this.#batchFor = 0;
    this.#batch = 1;
    this.#maxCountSeen = 0;
    this.#intervalSeen = 0;
  }

  #decide(now: number, maxCount: number, interval: number): RateLimitDecision {
    // Two clocks on one store: keep the log in order.
    if (now < this.#lastNow) now = this.#lastNow;
    else this.#lastNow = now;
    this.#fold(now);
    // Pending grants are not stamped yet: they will be, at a time >= now, so they are in the window.
    const pending = this.#pending;
    if (pending >= maxCount) return interval;
    const stamped = maxCount - pending; // this many stamped grants would fill the window
    if (this.#total >= stamped) {
      // The stamped-th most recent stamped grant must have left the window: t + interval <= now.
      const wait = this.#timeOfGrant(this.#total - stamped + 1) + interval - now;
      if (wait > 0) return wait;
    }
    this.#pending = pending + 1;
    this.#decidedSince++;
    if (!this.#stampQueued) {
      this.#stampQueued = true;
      queueMicrotask(this.#stampAfterCallers);
    }
    return 0;
  }

  /** Records `count` grants at `now` (merged into the last bucket when it has the same time). */
  #append(now: number, count: number): void {
    this.#total += count;
    if (this.#buckets > 0) {
      const lastAt = (this.#head + this.#buckets - 1) & this.#mask;
      if (this.#times[lastAt] === now) {
        this.#ends[lastAt] = this.#total;
        return;
      }
    }
    if (this.#buckets === this.#times.length) this.#grow();
    const at = (this.#head + this.#buckets) & this.#mask;
    this.#times[at] = now;
    this.#ends[at] = this.#total;
    this.#buckets++;
  }

  /**
   * Folds into the summary the head buckets that no limit seen so far could count on their own
   * time: older than the longest interval, or behind the largest count.
   */
  #fold(now: number): void {
    const horizon = now - this.#intervalSeen;
    const times = this.#times;
    const ends = this.#ends;
    const mask = this.#mask;
    let head = this.#head;
    while (this.#buckets > 0) {
      const end = ends[head]!;
      const time = times[head]!;
      if (time > horizon && this.#total - end < this.#maxCountSeen) break;
      this.#folded = end;
      this.#foldedAt = time;
      head = (head + 1) & mask;
      this.#buckets--;
    }
    this.#head = head;
  }

  /** The time of grant number `n` (1-based, since creation); folded grants have the summary's. */
  #timeOfGrant(n: number): number {
    if (n <= this.#folded) return this.#foldedAt;
    const ends = this.#ends;
    const mask = this.#mask;
    const head = this.#head;
    let lo = 0;
    let hi = this.#buckets - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[(head + mid) & mask]! >= n) hi = mid;
      else lo = mid + 1;
    }
    return this.#times[(head + lo) & mask]!;
  }

  #grow(): void {
    const n = this.#times.length;
    const times = new Float64Array(n * 2);
    const ends = new Float64Array(n * 2);
    for (let i = 0; i < this.#buckets; i++) {
      const at = (this.#head + i) & this.#mask;
      times[i] = this.#times[at]!;
      ends[i] = this.#ends[at]!;
    }
    this.#times = times;
    this.#ends = ends;
    this.#mask = n * 2 - 1;
    this.#head = 0;
  }
}

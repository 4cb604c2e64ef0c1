import type { Clock } from './Clock';
import type { RateLimitDecision, RateLimitStore } from './RateLimitStore';

/**
 * The in-memory {@link RateLimitStore}, the default: a sliding-window log of grant times, decided
 * synchronously, without allocating.
 *
 * The log is a ring buffer (`Float64Array`) of buckets `(time, cumulative count)`. Far below the
 * limit, grants are not timestamped one by one (reading the clock costs more than the rest of an
 * acquisition): while fewer than `maxCount` grants are remembered in all, up to
 * `max(1, floor(maxCount / 128))` of them are counted as pending and stamped together with the
 * next clock reading. A later stamp keeps a grant in the window longer, never shorter, so the
 * guarantee holds; the cost is that at most 1/128 of the limit can be refused early for one
 * interval. With `maxCount <= 255` every grant is timestamped exactly.
 *
 * It keeps the grants that any limit it has been asked about could still count (the last
 * `max(maxCount seen)` grants younger than `max(interval seen)`), so a limit raised or lengthened
 * at run time still sees them. Memory: 16 bytes per bucket, at most one bucket per clock reading.
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
  /** Grants discarded from the head (= the end of the bucket before the head). */
  #dropped = 0;
  /** Grants made but not yet stamped with a time. */
  #pending = 0;
  /** How many grants may be pending, for the `maxCount` it was computed for. */
  #batch = 1;
  #batchFor = 0;
  #maxCountSeen = 0;
  #intervalSeen = 0;

  /** The number of grants currently remembered, pending ones included (for tests and diagnostics). */
  get size(): number {
    return this.#total - this.#dropped + this.#pending;
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
    // Fast path: fewer than maxCount grants remembered in all, so no window can be full.
    if (pending + 1 < this.#batch && this.#total - this.#dropped + pending < maxCount) {
      this.#pending = pending + 1;
      return 0;
    }
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
    this.#dropped = 0;
    this.#pending = 0;
    this.#batchFor = 0;
    this.#batch = 1;
    this.#maxCountSeen = 0;
    this.#intervalSeen = 0;
  }

  #decide(now: number, maxCount: number, interval: number): RateLimitDecision {
    const times = this.#times;
    const mask = this.#mask;
    if (this.#buckets > 0) {
      const last = times[(this.#head + this.#buckets - 1) & mask]!;
      if (now < last) now = last; // two clocks on one store: keep the log in order
    }
    if (this.#pending > 0) {
      this.#append(now, this.#pending);
      this.#pending = 0;
    }
    this.#prune(now);
    const remembered = this.#total - this.#dropped;
    if (remembered >= maxCount) {
      // The maxCount-th most recent grant must have left the window: t + interval <= now.
      const t = this.#timeOfGrant(this.#total - maxCount + 1);
      const wait = t + interval - now;
      if (wait > 0) return wait;
    }
    this.#append(now, 1);
    return 0;
  }

  /** Records `count` grants at `now` (merged into the last bucket when it has the same time). */
  #append(now: number, count: number): void {
    if (this.#buckets > 0) {
      const lastAt = (this.#head + this.#buckets - 1) & this.#mask;
      if (this.#times[lastAt] === now) {
        this.#total += count;
        this.#ends[lastAt] = this.#total;
        return;
      }
    }
    if (this.#buckets === this.#times.length) this.#grow();
    const at = (this.#head + this.#buckets) & this.#mask;
    this.#total += count;
    this.#times[at] = now;
    this.#ends[at] = this.#total;
    this.#buckets++;
  }

  /** Drops head buckets that no limit seen so far could count. */
  #prune(now: number): void {
    const horizon = now - this.#intervalSeen;
    const times = this.#times;
    const ends = this.#ends;
    const mask = this.#mask;
    let head = this.#head;
    while (this.#buckets > 1) {
      const end = ends[head]!;
      if (times[head]! > horizon && this.#total - end < this.#maxCountSeen) break;
      this.#dropped = end;
      head = (head + 1) & mask;
      this.#buckets--;
    }
    this.#head = head;
    if (this.#buckets === 1 && times[head]! <= horizon) {
      this.#dropped = this.#total;
      this.#buckets = 0;
    }
  }

  /** The time of grant number `n` (1-based, since creation); it must be remembered. */
  #timeOfGrant(n: number): number {
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

/**
 * Adaptive mode: an internal limiter layered under the RegionalAccount's configured one. On a
 * throttling answer from AWS its rate drops (multiplicative decrease); then it climbs back step by
 * step (additive increase) until it reaches the configured limit, where it stops constraining. The
 * user's `RateLimitProperties` is never written to: the configured values stay what the user set,
 * and a change to them is followed at the next request.
 *
 * Two choices keep throttling answers rare, since AWS limits are token buckets:
 * - When the configured limit blocks, requests are paced: one every `interval / rate` ms, never a
 *   burst of the whole window at once. A burst empties the server's bucket, and every request then
 *   in flight comes back throttled before the first answer can slow anything down.
 * - A cut starts from the lower of the current rate and the answers AWS accepted in the last
 *   interval: that count is what the server actually let through, so the first cut lands near
 *   the server's rate instead of taking many cuts down from a configured limit far above it.
 */

import { RateLimitProperties } from '@cs/ratelimit';
import type { Clock } from '@cs/ratelimit';
import type { AdaptiveOptions } from './AdaptiveOptions';

/** A change of the adaptive rate, for events. @internal */
export interface AdaptiveChange {
  readonly reason: 'decrease' | 'increase' | 'recovered';
  /** The effective requests per interval; `undefined` once the configured limit applies again. */
  readonly maxCount: number | undefined;
  readonly interval: number;
}

/** How the limiter reads the configured limit (the RegionalAccount's current one). @internal */
export interface ConfiguredLimit {
  readonly maxCount: number;
  readonly interval: number;
  readonly block: boolean;
}

/** The shortest window of the paced limiter, in ms. */
const MIN_PACE_MS = 5;

/** Effectively unlimited, for the internal limiter while it records but does not constrain. */
const UNCONSTRAINED = 1_000_000_000;

/**
 * The adaptive limiter of one RegionalAccount.
 *
 * @internal
 */
export class AdaptiveLimiter {
  readonly #configured: () => ConfiguredLimit;
  readonly #clock: Clock;
  readonly #decrease: number;
  readonly #increase: number;
  readonly #minCount: number;
  readonly #defaultInterval: number;
  readonly #onChange: (change: AdaptiveChange) => void;
  readonly #limiter: RateLimitProperties;
  /** The reduced rate (requests per interval), or `undefined` while the configured limit rules. */
  #rate: number | undefined;
  /** When the rate last changed (decrease, or the last additive step). */
  #changedAt = Number.NEGATIVE_INFINITY;
  /** When the rate last decreased: answers to requests sent before it do not count again. */
  #decreasedAt = Number.NEGATIVE_INFINITY;
  /** Grant times within the last interval, to measure the rate actually sent. */
  readonly #recent: number[] = [];
  /** Times of answers AWS accepted (anything but a throttling answer) within the last interval. */
  readonly #accepted: number[] = [];

  constructor(
    configured: () => ConfiguredLimit,
    options: AdaptiveOptions,
    clock: Clock,
    onChange: (change: AdaptiveChange) => void,
  ) {
    const decrease = options.decrease ?? 0.8;
    const increase = options.increase ?? 1;
    const minCount = options.minCount ?? 1;
    const interval = options.interval ?? 1000;
    if (!(decrease > 0 && decrease < 1)) {
      throw new RangeError(
        `adaptive.decrease must be between 0 and 1 (exclusive), got ${decrease}`,
      );
    }
    if (!(increase > 0) || !Number.isFinite(increase)) {
      throw new RangeError(`adaptive.increase must be a positive number, got ${increase}`);
    }
    if (!Number.isInteger(minCount) || minCount < 1) {
      throw new RangeError(`adaptive.minCount must be a positive integer, got ${minCount}`);
    }
    if (!(interval > 0) || !Number.isFinite(interval)) {
      throw new RangeError(`adaptive.interval must be a positive number of ms, got ${interval}`);
    }
    this.#configured = configured;
    this.#clock = clock;
    this.#decrease = decrease;
    this.#increase = increase;
    this.#minCount = minCount;
    this.#defaultInterval = interval;
    this.#onChange = onChange;
    this.#limiter = new RateLimitProperties({ clock });
  }

  /** The reduced rate in requests per interval (steps due applied), or `undefined` while not reduced. */
  get rate(): number | undefined {
    this.#recover(this.#clock.now());
    return this.#rate;
  }

  /** The window of the adaptive rate: the configured interval, else the default. */
  get interval(): number {
    const { maxCount, interval } = this.#configured();
    return maxCount > 0 && interval > 0 ? interval : this.#defaultInterval;
  }

  /** The configured count, or `Infinity` when the configured limit is off. */
  #cap(): number {
    const { maxCount, interval } = this.#configured();
    return maxCount > 0 && interval > 0 ? maxCount : Number.POSITIVE_INFINITY;
  }

  /** Applies the additive steps due since the last change; lifts the reduction at the cap. */
  #recover(now: number): void {
    if (this.#rate === undefined) return;
    const interval = this.interval;
    const steps = Math.floor((now - this.#changedAt) / interval);
    if (steps <= 0) return;
    this.#changedAt += steps * interval;
    const rate = this.#rate + steps * this.#increase;
    if (rate >= this.#cap()) {
      this.#rate = undefined;
      this.#onChange({ reason: 'recovered', maxCount: undefined, interval });
    } else {
      this.#rate = rate;
      this.#onChange({ reason: 'increase', maxCount: Math.floor(rate), interval });
    }
  }

  /**
   * Brings the internal limiter in line with the configured limit and the current rate: a blocking
   * limit paces (one request every `interval / count` ms, or a few per 5 ms at high rates), a
   * non-blocking one keeps the window (a
   * request that finds no slot fails instead of waiting, so pacing would reject what the rate
   * allows).
   */
  #sync(now: number): void {
    this.#recover(now);
    const configured = this.#configured();
    const cap = this.#cap();
    const count =
      this.#rate === undefined
        ? Number.isFinite(cap)
          ? cap
          : UNCONSTRAINED
        : Math.max(this.#minCount, Math.floor(Math.min(this.#rate, cap)));
    const paced = configured.block && count < UNCONSTRAINED;
    // Paced: `k` requests per window of `k × interval / count` ms, the window at least
    // MIN_PACE_MS (timers cannot wait less than a millisecond or so: one request per 0.1 ms would
    // cap a rate of 10,000/s near 1,000/s).
    const k = paced ? Math.max(1, Math.ceil((count * MIN_PACE_MS) / this.interval)) : count;
    const maxCount = k;
    const interval = paced ? (this.interval * k) / count : this.interval;
    const limiter = this.#limiter;
    if (limiter.interval !== interval) limiter.interval = interval;
    if (limiter.maxCount !== maxCount) limiter.maxCount = maxCount;
    if (limiter.block !== configured.block) limiter.block = configured.block;
  }

  /**
   * Takes a slot of the adaptive rate (waits or rejects as the configured limit's `block` says).
   *
   * @returns when the slot was granted, to pass to {@link throttled} later
   */
  async acquire(signal: AbortSignal | undefined): Promise<number> {
    this.#sync(this.#clock.now());
    await this.#limiter.acquire({ signal });
    const now = this.#clock.now();
    this.#record(this.#recent, now);
    return now;
  }

  /** Reports an answer AWS accepted (a success, or any error but throttling). */
  accepted(): void {
    this.#record(this.#accepted, this.#clock.now());
  }

  /** Appends `now` to a list of times, dropping those older than one interval. */
  #record(times: number[], now: number): void {
    times.push(now);
    this.#trim(times, now);
  }

  /** Drops the times at or before `now - interval`; returns how many remain. */
  #trim(times: number[], now: number): number {
    const horizon = now - this.interval;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? now) <= horizon) drop++;
    if (drop > 0) times.splice(0, drop);
    return times.length;
  }

  /**
   * Reports a throttling answer to a request granted at `sentAt`. Answers to requests sent before
   * the last decrease are ignored (they reflect the old rate, already cut).
   */
  throttled(sentAt: number): void {
    if (sentAt < this.#decreasedAt) return;
    const now = this.#clock.now();
    this.#recover(now);
    // The first cut starts from the rate actually sent (the configured one may be far above what
    // the server accepts); later cuts from the reduced rate. Either way, from no more than AWS
    // accepted in the last interval, when it accepted anything.
    const sent = this.#trim(this.#recent, now);
    const accepted = this.#trim(this.#accepted, now);
    const current = this.#rate ?? Math.min(this.#cap(), sent);
    const base = accepted > 0 ? Math.min(current, accepted) : current;
    const rate = Math.max(this.#minCount, base * this.#decrease);
    this.#rate = rate;
    this.#changedAt = now;
    this.#decreasedAt = now;
    this.#onChange({ reason: 'decrease', maxCount: Math.floor(rate), interval: this.interval });
    this.#sync(now);
  }
}

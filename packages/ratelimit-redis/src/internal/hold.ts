/**
 * The shortest time a grant is held for its caller: 2 ms (a round trip to a local Redis and back),
 * and at least 1 % of the interval, so that a little jitter of the round trip wastes nothing.
 */
const MIN_HOLD_MS = 2;
const MIN_HOLD_SHARE = 1 / 100;
/** The longest hold: a quarter of the interval, but at least 25 ms (slow links) and at most 1 s. */
const MAX_HOLD_SHARE = 1 / 4;
const MAX_HOLD_FLOOR_MS = 25;
const MAX_HOLD_CEILING_MS = 1000;

/**
 * How long a grant is held for its caller: the take script records a grant at `now + hold` plus
 * {@link useWithin} (Redis's clock), not at `now`, and the store hands it out only if Redis's answer
 * reached it within `hold` of sending the request (its own clock). So every grant a caller receives reaches
 * it before the time recorded for it, and a process that took long to read the answer (its event
 * loop busy, a slow link) cannot receive a slot after another process was already granted the
 * same slot again: one budget at the callers, not only on Redis's clock. An answer that came too
 * late is given up (removed from the log with the next request) and asked for again.
 *
 * The hold follows the round trip (four times its moving average, at least 2 ms and 1 % of the
 * interval), so that it costs little: under saturation the rate is `maxCount / (interval + hold +
 * useWithin)`, about 2 % under `maxCount / interval` against a Redis nearby. It is capped at a
 * quarter of the interval (at least 25 ms, at most 1 s); an answer later than that is always
 * given up.
 */
/**
 * How long a caller may take to use a grant once it has received it (ms): 1 % of the interval, at
 * least 2 ms and at most 1 s. The grant is recorded that much after the end of its hold, so that a request that
 * leaves within this time of receiving its slot (the rate-limit middleware of `@cs/regional` takes
 * a slot again when it is older than this) still leaves before the time recorded for it.
 */
export const useWithin = (interval: number): number =>
  Math.min(Math.max(MIN_HOLD_MS, interval / 100), MAX_HOLD_CEILING_MS);

export class Hold {
  /** The mean round trip (ms, a moving average, late answers included). */
  #roundTrip = 0;

  /** The hold (ms) for a request about a limit of `interval` ms. */
  next(interval: number): number {
    const cap = Math.min(
      Math.max(interval * MAX_HOLD_SHARE, MAX_HOLD_FLOOR_MS),
      MAX_HOLD_CEILING_MS,
    );
    return Math.min(cap, Math.max(MIN_HOLD_MS, interval * MIN_HOLD_SHARE, 4 * this.#roundTrip));
  }

  /** Records a round trip: a request sent at `sent` answered at `done` (the limiter's clock). */
  answered(sent: number, done: number): void {
    this.#roundTrip = 0.8 * this.#roundTrip + 0.2 * Math.max(done - sent, 0);
  }
}

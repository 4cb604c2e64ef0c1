/** The largest lease asked for, and how long it may last at most (ms). */
const MAX_LEASE = 64;
const MAX_LEASE_MS = 100;

/** Slots granted ahead by the script, handed out locally until `until` (see the take script). */
interface Lease {
  left: number;
  until: number;
  /** Their time in Redis, in microseconds. */
  at: string;
  maxCount: number;
  interval: number;
}

/** What a decision asks the take script to lease: `want` slots, usable for `lifetime` ms. */
export interface LeaseRequest {
  readonly want: number;
  readonly lifetime: number;
}

/**
 * The leases of one store: far below the limit, a busy process may lease a few slots with one
 * script call. They are recorded in Redis at the end of the lease's short lifetime and handed out
 * locally only within it, so that every use precedes the time recorded for it. This class decides
 * when a lease is worth asking for (from the demand, the round trip and the last refusal) and hands
 * out the slots of the current one; it never talks to Redis.
 */
export class Leases {
  readonly #enabled: boolean;
  #lease: Lease | undefined;
  /** When the previous decision ended (the limiter's clock): demand, for leases. */
  #lastDone = Number.NEGATIVE_INFINITY;
  /** The mean time of a decision's round trip (ms, a moving average). */
  #roundTrip = 0;
  /** When a decision was last refused: near the limit, no leases. */
  #lastRefused = Number.NEGATIVE_INFINITY;

  /** @param enabled - the store's `leases` option */
  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /**
   * Hands out one slot of the current lease, if it is still valid for this limit at `local`:
   * answers its time in Redis (microseconds), or `undefined` (and drops a lease that no longer
   * serves).
   */
  use(local: number, maxCount: number, interval: number): string | undefined {
    const lease = this.#lease;
    if (lease === undefined) return undefined;
    if (
      lease.left > 0 &&
      local < lease.until &&
      lease.maxCount === maxCount &&
      lease.interval === interval
    ) {
      lease.left--;
      this.#lastDone = local;
      return lease.at;
    }
    this.#lease = undefined;
    return undefined;
  }

  /**
   * How many slots to ask for with a decision sent at `local`. Asked only when this decision
   * follows the previous one closely, so that a lone acquisition never wastes slots, and not
   * within an interval of a refusal, so that a saturated limit stays exact. A lease is worth asking
   * for only if it arrives well before it ends: the round trip must be under half its lifetime.
   */
  request(local: number, maxCount: number, interval: number): LeaseRequest {
    const lifetime = Math.min(interval / 4, MAX_LEASE_MS);
    const want =
      this.#enabled &&
      local - this.#lastDone < lifetime &&
      local - this.#lastRefused >= interval &&
      this.#roundTrip < lifetime / 2
        ? Math.min(MAX_LEASE, Math.floor(maxCount / 16))
        : 0;
    return { want, lifetime };
  }

  /** Records that Redis answered a decision sent at `sent` at `done` (the limiter's clock). */
  answered(sent: number, done: number): void {
    this.#lastDone = done;
    this.#roundTrip = 0.8 * this.#roundTrip + 0.2 * (done - sent);
  }

  /** Records that a decision sent at `sent` was refused: no lease for an interval. */
  refused(sent: number): void {
    this.#lastRefused = sent;
  }

  /**
   * Starts a lease of `left` slots the script granted at `at` (Redis microseconds), usable until
   * `lifetime` after the request was sent at `sent`: every use precedes its recorded time.
   */
  start(
    left: number,
    at: string,
    sent: number,
    lifetime: number,
    maxCount: number,
    interval: number,
  ): void {
    this.#lease = { left, until: sent + lifetime, at, maxCount, interval };
  }

  /** Drops the current lease (the store was cleared or closed, or the limit changed). */
  drop(): void {
    this.#lease = undefined;
  }
}

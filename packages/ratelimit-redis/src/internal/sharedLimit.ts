import type { RateLimitProperties } from '@cs/ratelimit';
import type { RateLimitStoreLogger, SharedLimit } from '../types';

/**
 * The shared limit of one key as this process last saw it (from a decision's answer, `setLimit`,
 * `getLimit` or a pub/sub notification), and who follows it: the limiters attached to the store,
 * whose `maxCount` and `interval` are kept equal to it, and the listeners of `onLimitChange`. Only
 * a newer version replaces the limit seen.
 */
export class SharedLimitFollowers {
  readonly #key: string;
  readonly #logger: RateLimitStoreLogger | undefined;
  readonly #onNewer: () => void;
  readonly #attached = new Set<RateLimitProperties>();
  readonly #listeners = new Set<(limit: SharedLimit) => void>();
  #shared: SharedLimit | undefined;

  /**
   * @param key - the store's key, for log messages
   * @param logger - where a listener that throws is reported
   * @param onNewer - called first when a newer limit is seen (the store drops its lease)
   */
  constructor(key: string, logger: RateLimitStoreLogger | undefined, onNewer: () => void) {
    this.#key = key;
    this.#logger = logger;
    this.#onNewer = onNewer;
  }

  /** The shared limit last seen. */
  get current(): SharedLimit | undefined {
    return this.#shared;
  }

  /** Takes a limit seen in Redis, if it is valid and newer than the one seen, and hands it on. */
  apply(maxCount: number, interval: number, version: number): void {
    if (!Number.isFinite(version) || (this.#shared && version <= this.#shared.version)) return;
    if (!Number.isInteger(maxCount) || maxCount < 0 || !(interval >= 0)) return;
    const limit: SharedLimit = { maxCount, interval, version };
    this.#shared = limit;
    this.#onNewer();
    for (const attached of this.#attached) copyTo(attached, limit);
    for (const listener of this.#listeners) {
      try {
        listener(limit);
      } catch (error) {
        this.#logger?.error?.(
          `Redis rate-limit store "${this.#key}": a limit-change listener threw: ${String(error)}`,
          { key: this.#key },
        );
      }
    }
  }

  /** Keeps `limit` equal to the shared limit (at once, if one was seen); answers how to stop. */
  attach(limit: RateLimitProperties): () => void {
    this.#attached.add(limit);
    if (this.#shared) copyTo(limit, this.#shared);
    return () => {
      this.#attached.delete(limit);
    };
  }

  /** Calls `listener` with every newer limit; answers how to stop. */
  listen(listener: (limit: SharedLimit) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/** Copies the shared limit's values into a limiter (only those that differ: each set re-examines its waiters). */
function copyTo(limit: RateLimitProperties, shared: SharedLimit): void {
  if (limit.maxCount !== shared.maxCount) limit.maxCount = shared.maxCount;
  if (limit.interval !== shared.interval) limit.interval = shared.interval;
}

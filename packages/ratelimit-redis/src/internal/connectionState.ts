import type { RateLimitStoreLogger } from '../types';

/**
 * Whether the store's Redis is down (the last decision could not reach it) or up, with the two
 * state changes logged once each: Redis lost (a warning when the fallback takes over, an error
 * otherwise) and Redis back.
 */
export class ConnectionState {
  readonly #key: string;
  readonly #logger: RateLimitStoreLogger | undefined;
  #down = false;
  #downSince = 0;

  /**
   * @param key - the store's key, for log messages
   * @param logger - where the state changes go
   */
  constructor(key: string, logger: RateLimitStoreLogger | undefined) {
    this.#key = key;
    this.#logger = logger;
  }

  /** Whether the last decision could not reach Redis. */
  get down(): boolean {
    return this.#down;
  }

  /** Records that Redis could not decide, with `message` (the store error's), and logs the change. */
  lost(message: string, hasFallback: boolean): void {
    if (this.#down) return;
    this.#down = true;
    this.#downSince = performance.now();
    if (hasFallback) {
      this.#logger?.warn?.(
        `Redis rate-limit store "${this.#key}": Redis cannot decide (${message.split(';')[0]}); using the local fallback limit until it answers again`,
        { key: this.#key },
      );
    } else {
      this.#logger?.error?.(message, { key: this.#key });
    }
  }

  /** Records that Redis answered a decision, and logs the change. */
  answered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#logger?.info?.(
      `Redis rate-limit store "${this.#key}": Redis answers again after ${Math.round(
        performance.now() - this.#downSince,
      )} ms; deciding through the shared limit again`,
      { key: this.#key },
    );
  }
}

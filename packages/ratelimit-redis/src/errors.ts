/**
 * The errors of `@cs/ratelimit-redis`. Each has a readonly `name` and a guard that checks `name` as
 * well as `instanceof`, so that two copies of the package (CJS and ESM) agree.
 */
import { RateLimitError } from '@cs/ratelimit';

/**
 * The Redis store could not decide an acquisition: Redis was unreachable, did not answer within
 * `timeoutMs`, refused the script, or the store was closed. The acquisition was refused, never
 * silently granted. The original error, if any, is the `cause`. A subclass of @cs/ratelimit's
 * `RateLimitError`, so `isRateLimitError` from `@cs/ratelimit` also recognises it.
 *
 * @example
 * ```ts
 * try {
 *   await limit.acquire();
 * } catch (e) {
 *   if (isRateLimitStoreError(e)) console.warn(`rate-limit store ${e.key} down: ${e.message}`);
 * }
 * ```
 * @public
 */
export class RateLimitStoreError extends RateLimitError {
  override readonly name = 'RateLimitStoreError';
  /**
   * @param message - what went wrong, where, and what to do
   * @param key - the Redis key of the limit
   * @param cause - the error of the Redis client, if any
   */
  constructor(
    message: string,
    readonly key: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/**
 * Whether `e` is a {@link RateLimitStoreError}. Checks `name` too, so that two copies of the package
 * (CJS and ESM) agree.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRateLimitStoreError(e)) alertOps(e.key);
 * ```
 * @public
 */
export const isRateLimitStoreError = (e: unknown): e is RateLimitStoreError =>
  e instanceof Error && e.name === 'RateLimitStoreError';

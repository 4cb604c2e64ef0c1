import type { Clock, RateLimitDecision, RateLimitProperties } from '@cs/ratelimit';
import { MemoryRateLimitStore, RateLimitConfigError, parseDuration } from '@cs/ratelimit';
import type { RedisRateLimitStoreOptions } from '../types';

/** The local limit that decides while Redis cannot: a limiter's, or plain values with a store. */
export type Fallback =
  | { kind: 'limit'; limit: RateLimitProperties }
  | { kind: 'values'; maxCount: number; interval: number; store: MemoryRateLimitStore };

/** Checks the `fallback` option and makes it a {@link Fallback}. */
export function checkFallback(
  fallback: RedisRateLimitStoreOptions['fallback'],
): Fallback | undefined {
  if (fallback === undefined) return undefined;
  if (typeof fallback !== 'object' || fallback === null) {
    throw new RateLimitConfigError(
      'fallback',
      fallback,
      'a RateLimitProperties or { maxCount, interval }',
    );
  }
  if ('store' in fallback && typeof fallback.store === 'object') {
    return { kind: 'limit', limit: fallback };
  }
  const { maxCount, interval } = fallback;
  if (!Number.isSafeInteger(maxCount) || maxCount < 1) {
    throw new RateLimitConfigError('fallback.maxCount', maxCount, 'a positive integer');
  }
  const ms = parseDuration(interval);
  if (ms <= 0) {
    throw new RateLimitConfigError('fallback.interval', interval, 'a positive duration');
  }
  return { kind: 'values', maxCount, interval: ms, store: new MemoryRateLimitStore() };
}

/**
 * Decides one acquisition by the fallback limit (a limiter's current values are read now): at once
 * for plain values, through the limiter's store otherwise.
 */
export function decideByFallback(
  fallback: Fallback,
  clock: Pick<Clock, 'now'>,
): RateLimitDecision | Promise<RateLimitDecision> {
  if (fallback.kind === 'limit') {
    const { maxCount, interval } = fallback.limit;
    return maxCount === 0 || interval === 0
      ? 0
      : Promise.resolve(fallback.limit.store.take(clock, maxCount, interval));
  }
  return fallback.store.take(clock, fallback.maxCount, fallback.interval);
}

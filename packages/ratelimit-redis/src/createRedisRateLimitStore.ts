import { RateLimitConfigError } from '@cs/ratelimit';
import type { RedisRateLimitStoreOptions } from './types';
import { RedisRateLimitStore } from './RedisRateLimitStore';
import { describeUrl } from './internal/describeUrl';

/**
 * The configuration-file form of a Redis store (`store: { redis: { url, key } }` in a `RateLimit`
 * section), with the other options of {@link RedisRateLimitStore} allowed too.
 *
 * @example
 * ```ts
 * const spec: RedisStoreSpec = { url: 'redis://127.0.0.1:6379', key: 'aws:ec2', timeoutMs: 500 };
 * ```
 * @public
 */
export interface RedisStoreSpec extends Omit<RedisRateLimitStoreOptions, 'client'> {
  /** A `redis://` or `rediss://` URL; the store opens its own connection to it. */
  url: string;
}

/**
 * Builds a {@link RedisRateLimitStore} that owns its connection, from the configuration-file form:
 * what `@cs/config` calls for `store: { redis: { url, key } }`. Close it with `store.close()`.
 *
 * @param spec - `url` and `key`, and optionally `timeoutMs`, `fallback`, `logger`, `subscribe`
 * @returns a store with its own connection (opened at once, reconnecting by itself)
 * @throws {@link @cs/ratelimit!RateLimitConfigError} naming the setting (`store.redis.url`, `store.redis.key`,
 *   ...) when the spec is invalid; the URL is never echoed, as it may hold a password
 * @example
 * ```ts
 * const store = createRedisRateLimitStore({ url: process.env.REDIS_URL!, key: 'aws:ec2' });
 * const limit = new RateLimitProperties({ maxCount: 100, interval: '1s', block: true, store });
 * store.attach(limit);
 * // ... at the end
 * await store.close();
 * ```
 * @public
 */
export function createRedisRateLimitStore(spec: RedisStoreSpec): RedisRateLimitStore {
  if (typeof spec !== 'object' || spec === null) {
    // A string here is likely the URL, password and all: neither echoed nor kept on the error.
    throw new RateLimitConfigError(
      'store.redis',
      undefined,
      `an object { url, key }, not a value of type ${typeof spec}`,
      false,
    );
  }
  describeUrl(spec.url, 'store.redis.url');
  if (typeof spec.key !== 'string' || spec.key === '') {
    throw new RateLimitConfigError(
      'store.redis.key',
      spec.key,
      'a non-empty string naming the limit in Redis',
    );
  }
  const { url, ...options } = spec;
  return new RedisRateLimitStore({ ...options, client: url });
}

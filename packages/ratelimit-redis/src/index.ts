/**
 * @cs/ratelimit-redis: a Redis store for `@cs/ratelimit`, so that every process (on any machine)
 * naming the same key shares one strict sliding-window budget. Each decision is one atomic Lua
 * script on Redis's clock; limits changed with `setLimit()` reach every process; a clear
 * `RateLimitStoreError` (or a local fallback limit) when Redis is down. ioredis is a peer
 * dependency.
 *
 * @packageDocumentation
 */

export { createRedisRateLimitStore } from './createRedisRateLimitStore';
export type { RedisStoreSpec } from './createRedisRateLimitStore';
export {
  RateLimitKeyConflictError,
  RateLimitStoreError,
  isRateLimitKeyConflictError,
  isRateLimitStoreError,
} from './errors';
export { RedisRateLimitStore } from './RedisRateLimitStore';
export type {
  RateLimitStoreLogger,
  RedisDecisionEvent,
  RedisRateLimitStoreOptions,
  RedisRateLimitStoreStats,
  SharedLimit,
} from './types';

/**
 * @cs/ratelimit: a strict sliding-window rate limiter (never more than `maxCount` grants in any
 * window of `interval`), with first-in first-out waiters, abort signals, run-time changes, shared
 * budgets, wrappers and decorators, and a store interface for shared-memory or Redis state.
 * Zero runtime dependencies.
 *
 * @packageDocumentation
 */

export type { Clock } from './Clock';
export {
  RateLimitConfigError,
  RateLimitError,
  RateLimitExceeded,
  isRateLimitConfigError,
  isRateLimitError,
  isRateLimitExceeded,
} from './errors';
export { MemoryRateLimitStore } from './MemoryRateLimitStore';
export { MAX_DURATION_MS, parseDuration } from './parseDuration';
export { RateLimitProperties } from './RateLimitProperties';
export type { AcquireOptions, RateLimitOptions, RateLimitStats } from './RateLimitProperties';
export { rateLimitPropertiesFactory } from './rateLimitPropertiesFactory';
export type { RateLimitSpec } from './rateLimitPropertiesFactory';
export type { RateLimitDecision, RateLimitStore } from './RateLimitStore';
export { SharedMemoryRateLimitStore } from './SharedMemoryRateLimitStore';
export type {
  SharedMemoryRateLimitStoreOptions,
  SharedRateLimitState,
} from './SharedMemoryRateLimitStore';
export { ratelimited } from './ratelimited';
export type { RateLimitedFunction } from './ratelimited';
export { ratelimitedMethod } from './ratelimitedMethod';
export { systemClock } from './systemClock';

import type { RateLimitProperties } from '@cs/ratelimit';
import type { Cluster, Redis } from 'ioredis';

/**
 * A logger for the store's state changes (Redis lost, fallback in use, Redis back, a notification
 * that could not be read): the shape of `console` and of most loggers. Nothing is logged per
 * decision, and never a URL or a password.
 *
 * @example
 * ```ts
 * const logger: RateLimitStoreLogger = { warn: (m, meta) => pino.warn(meta, m) };
 * ```
 * @public
 */
export interface RateLimitStoreLogger {
  debug?: (message: string, meta?: object) => void;
  info?: (message: string, meta?: object) => void;
  warn?: (message: string, meta?: object) => void;
  error?: (message: string, meta?: object) => void;
}

/**
 * The limit shared through Redis ({@link RedisRateLimitStore.setLimit}).
 * @public
 */
export interface SharedLimit {
  /** At most this many grants in any window of `interval`; `0` means unlimited. */
  readonly maxCount: number;
  /** The window length in milliseconds; `0` means unlimited. */
  readonly interval: number;
  /** Increases with every `setLimit()` (Redis time in microseconds when it was set). */
  readonly version: number;
}

/**
 * What {@link RedisRateLimitStoreOptions.onDecision} receives after each decision.
 * @public
 */
export interface RedisDecisionEvent {
  /** Whether a slot was granted. */
  readonly granted: boolean;
  /** For a refusal, the milliseconds until a retry can succeed; `0` for a grant. */
  readonly wait: number;
  /**
   * For a grant recorded in Redis: its time on Redis's clock, in milliseconds since the epoch
   * (microsecond precision), the same for every process. `undefined` otherwise.
   */
  readonly time: number | undefined;
  /** `true` when the local fallback limit decided, because Redis could not. */
  readonly fallback: boolean;
}

/**
 * The options of {@link RedisRateLimitStore}.
 * @public
 */
export interface RedisRateLimitStoreOptions {
  /**
   * The Redis connection: an ioredis `Redis` (or `Cluster`) instance, which the caller owns and
   * closes; or a `redis://` / `rediss://` URL, for which the store opens (and `close()` closes)
   * its own connection.
   */
  client: Redis | Cluster | string;
  /**
   * The name of the limit: every store, in any process, that names the same key on the same Redis
   * shares one budget. The store uses `key`, `key:limit` and `key:meta`; on Redis Cluster, put a
   * hash tag in it (`{api}`) so that the three land in one slot.
   */
  key: string;
  /**
   * A local limit to apply while Redis cannot decide (unreachable, timing out), instead of failing
   * the acquisition: a `RateLimitProperties` (its values are read at each decision and its store
   * records the grants; give it the same clock as the limiter on this store) or plain values
   * `{ maxCount, interval }`. The switch and the recovery are logged. Each process applies it on
   * its own: N processes can grant N times its `maxCount` in an outage, so set it to the shared
   * limit divided by the number of processes.
   * @defaultValue none: a failed decision rejects the acquisition with {@link RateLimitStoreError}
   */
  fallback?: RateLimitProperties | { maxCount: number; interval: number | string } | undefined;
  /**
   * How long a decision may wait for Redis, in milliseconds, before it fails (or uses the
   * fallback). A command that times out may still run later in Redis and record a grant nobody
   * uses: that can only under-grant.
   * @defaultValue `1000`
   */
  timeoutMs?: number | undefined;
  /**
   * Where the store reports that Redis was lost, that the fallback is in use, and that Redis is
   * back.
   * @defaultValue none (silent)
   */
  logger?: RateLimitStoreLogger | undefined;
  /**
   * Whether {@link RedisRateLimitStore.attach} also listens for limit changes on a second
   * connection (Redis pub/sub, channel `key:limit`), so that an idle process learns of a change at
   * once and its waiters are re-examined. Without it, a process learns of a change with its next
   * decision (the script always applies the shared limit anyway).
   * @defaultValue `true`
   */
  subscribe?: boolean | undefined;
  /**
   * Whether a busy process may lease up to `min(64, maxCount / 16)` slots per script call while
   * the window is under half full and none of its decisions was refused in the last interval
   * (recorded at `now + min(interval / 4, 100 ms)`, used only within that time, and asked for only while a round trip takes less than half that). Fewer round trips
   * far below the limit; no effect near it.
   * @defaultValue `true`
   */
  leases?: boolean | undefined;
  /**
   * Called after each decision, for metrics and tests. Must not throw.
   * @defaultValue none
   */
  onDecision?: ((event: RedisDecisionEvent) => void) | undefined;
}

/**
 * A snapshot of a Redis store's counters ({@link RedisRateLimitStore.stats}).
 * @public
 */
export interface RedisRateLimitStoreStats {
  /** Decisions asked of the store. */
  readonly decisions: number;
  /** Decisions that granted a slot (in Redis or by the fallback). */
  readonly granted: number;
  /** Decisions that refused a slot and answered a wait. */
  readonly refused: number;
  /** Decisions that Redis could not make (timeouts, connection errors). */
  readonly errors: number;
  /** Decisions made by the fallback limit. */
  readonly fallbackDecisions: number;
  /**
   * Grants that Redis answered later than their hold (this process busy, or a slow link): given
   * up, removed from the log, and asked for again (see the store's description).
   */
  readonly lateAnswers: number;
}

import { randomBytes } from 'node:crypto';
import type { Clock, RateLimitDecision, RateLimitProperties, RateLimitStore } from '@cs/ratelimit';
import { RateLimitConfigError, parseDuration } from '@cs/ratelimit';
import type { Cluster } from 'ioredis';
import { Redis } from 'ioredis';
import { RateLimitKeyConflictError, RateLimitStoreError } from './errors';
import { ConnectionState } from './internal/connectionState';
import { describeUrl } from './internal/describeUrl';
import type { Fallback } from './internal/fallback';
import { checkFallback, decideByFallback } from './internal/fallback';
import { Hold, useWithin } from './internal/hold';
import type { LeaseRequest } from './internal/lease';
import { Leases } from './internal/lease';
import { OwnGrants } from './internal/ownGrants';
import { redact, redactedError, secretsOf } from './internal/redact';
import type { Script } from './internal/scripts';
import { SCRIPTS } from './internal/scripts';
import { SharedLimitFollowers } from './internal/sharedLimit';
import type {
  RateLimitStoreLogger,
  RedisDecisionEvent,
  RedisRateLimitStoreOptions,
  RedisRateLimitStoreStats,
  SharedLimit,
} from './types';

/**
 * The take script's answer: code (1 granted, 2 granted without a record, 0 refused, -1 log lost,
 * -2 key conflict), wait (us), the limit applied, its version, Redis's time (us), slots leased and
 * their time.
 */
type Reply = [number, number, string, string, string, string, number, string];

const isReply = (v: unknown): v is Reply => Array.isArray(v) && v.length === 8;

/** The longest delay a timer honours (2^31-1 ms): `timeoutMs` may not be longer. */
const MAX_TIMER_MS = 2_147_483_647;

/** How many answers in a row may come too late to be used before an acquisition fails. */
const MAX_LATE_ANSWERS = 8;

/**
 * A {@link RateLimitStore} in Redis: every process (on any machine) whose store names the same
 * `key` on the same Redis shares ONE sliding-window budget: never more than `maxCount` grants, from
 * all of them together, in any window of `interval`, as the callers receive them.
 *
 * Each decision is one atomic Lua script (`EVALSHA`, loaded with `EVAL` when Redis does not know
 * it): it reads Redis's clock (`TIME`, microseconds, one clock for every process), drops what no
 * window can count from a sorted set of grant times, and either records the grant and answers `0`
 * or answers the wait until the oldest counted grant leaves the window. The keys expire (`PEXPIRE`)
 * one interval after the newest grant recorded.
 *
 * Held until used: a grant is recorded at the end of a short hold (four times the round trip, at
 * least 2 ms and 1 % of the interval) plus the time its caller has to use it (1 % of the interval),
 * and handed out only if Redis's answer arrived within the hold; a later answer (a busy event loop,
 * a slow link) is given up, removed with the next request, and asked for again
 * (`stats.lateAnswers`). So a process slow to read its answers cannot receive a slot that another
 * process was already granted again. Under saturation this costs about 2 % of the rate. A blocked caller waits locally, on its limiter's one timer,
 * for exactly that wait: a process asks Redis about once per grant plus once per refusal, never in a
 * polling loop. Waiters are served first-in first-out within a process (by the limiter).
 *
 * Far below the limit, a process whose decisions come quickly one after another may lease a few
 * slots with one script call (while the window is under half full and it has not been refused
 * for an interval): they are recorded at the end
 * of the lease's short lifetime and handed out locally only within it, so every use precedes the
 * time recorded for it and the guarantee holds; unused ones are wasted, far below the limit only.
 * Near the limit every decision is exact. `leases: false` turns this off.
 *
 * Limits changed at run time: {@link RedisRateLimitStore.setLimit} stores the limit in Redis
 * (`key:limit`); every script then applies it instead of the caller's values, so the change holds
 * everywhere from the next decision on. {@link RedisRateLimitStore.attach} keeps a local
 * `RateLimitProperties` in step with it (its `maxCount` and `interval` are updated from each
 * decision's answer and, at once, from a pub/sub notification).
 *
 * One key, one limit: without a shared limit, the first store to decide records its `maxCount`
 * and `interval` with the key, and a store asking with other values while that limit is in use
 * (by another store, within about its interval) is refused with {@link RateLimitKeyConflictError}
 * rather than starved by the larger limit. A store may change its own limit when no other store
 * uses it.
 *
 * Failures: when Redis is unreachable or slow, the acquisition fails with
 * {@link RateLimitStoreError} (never a silent grant), or the `fallback` limit decides locally.
 * The client reconnects by itself (ioredis). Across a reconnect the log, kept in Redis, is intact.
 * If Redis lost its data (restarted without persistence), each store re-enters its own grants of
 * the last interval before its next decision; a store that has not decided since cannot have
 * re-entered its grants, so until every process that granted in the last interval has decided
 * once, the guarantee is per process rather than global. Use Redis persistence or a replica to
 * make it global across a data loss.
 *
 * Call {@link RedisRateLimitStore.close} (or close your client) when done: an open connection keeps
 * a process alive.
 *
 * @example
 * ```ts
 * import { RateLimitProperties } from '@cs/ratelimit';
 * import { RedisRateLimitStore } from '@cs/ratelimit-redis';
 *
 * const store = new RedisRateLimitStore({ client: 'redis://127.0.0.1:6379', key: 'aws:ec2' });
 * const limit = new RateLimitProperties({ maxCount: 200, interval: '1s', block: true, store });
 * store.attach(limit);          // follow store.setLimit() from any process
 * await limit.acquire();        // one budget for every process naming 'aws:ec2'
 * await store.close();
 * ```
 * @public
 */
export class RedisRateLimitStore implements RateLimitStore {
  /** Always `false`: each decision asks Redis. */
  readonly synchronous = false;
  /** The name of the limit in Redis. */
  readonly key: string;

  readonly #client: Redis | Cluster;
  readonly #owned: boolean;
  /** The connection's passwords, removed from every message and cause. */
  readonly #secrets: readonly string[];
  readonly #keys: readonly [string, string, string];
  readonly #channel: string;
  readonly #timeoutMs: number;
  readonly #logger: RateLimitStoreLogger | undefined;
  readonly #subscribe: boolean;
  readonly #onDecision: ((event: RedisDecisionEvent) => void) | undefined;
  readonly #fallback: Fallback | undefined;

  /** A tag unique to this store, in the members it records. */
  readonly #tag = randomBytes(4).toString('hex');
  #seq = 0;
  /** This store's recent grants, to re-enter after a data loss. */
  readonly #own = new OwnGrants();
  readonly #leases: Leases;
  readonly #hold = new Hold();
  /** A grant this store gave up (answered too late): removed from the log by the next decision. */
  #release = '';
  readonly #connection: ConnectionState;
  readonly #shared: SharedLimitFollowers;
  #closed = false;
  #subscriber: Redis | Cluster | undefined;

  #decisions = 0;
  #granted = 0;
  #refused = 0;
  #errors = 0;
  #fallbackDecisions = 0;
  #lateAnswers = 0;

  /**
   * @param options - the connection, the key, and how to behave when Redis fails
   * @throws {@link @cs/ratelimit!RateLimitConfigError} for an empty key, a URL that is not `redis://` or
   *   `rediss://`, a `timeoutMs` that is not a positive number of at most 2^31-1 ms, or invalid
   *   fallback values
   * @example
   * ```ts
   * const store = new RedisRateLimitStore({
   *   client: new Redis(process.env.REDIS_URL!),
   *   key: 'aws:organizations',
   *   fallback: { maxCount: 5, interval: '1s' },
   *   timeoutMs: 500,
   *   logger: console,
   * });
   * ```
   */
  constructor(options: RedisRateLimitStoreOptions) {
    const { key } = options;
    if (typeof key !== 'string' || key === '') {
      throw new RateLimitConfigError('key', key, 'a non-empty string naming the limit in Redis');
    }
    this.key = key;
    this.#keys = [key, `${key}:limit`, `${key}:meta`];
    this.#channel = `${key}:limit`;
    const timeoutMs = options.timeoutMs ?? 1000;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !(timeoutMs <= MAX_TIMER_MS)) {
      throw new RateLimitConfigError(
        'timeoutMs',
        timeoutMs,
        `a positive number of milliseconds, at most ${MAX_TIMER_MS} (the longest timer)`,
      );
    }
    this.#timeoutMs = timeoutMs;
    this.#logger = options.logger;
    this.#subscribe = options.subscribe ?? true;
    this.#leases = new Leases(options.leases ?? true);
    this.#connection = new ConnectionState(key, options.logger);
    this.#shared = new SharedLimitFollowers(key, options.logger, () => this.#leases.drop());
    this.#onDecision = options.onDecision;
    this.#fallback = checkFallback(options.fallback);
    if (typeof options.client === 'string') {
      describeUrl(options.client); // validates, without echoing it
      this.#client = new Redis(options.client);
      this.#owned = true;
      this.#client.on('error', (error: Error) => this.#connectionError(error));
    } else {
      this.#client = options.client;
      this.#owned = false;
    }
    this.#secrets = secretsOf(
      this.#client,
      typeof options.client === 'string' ? options.client : undefined,
    );
  }

  /** The Redis connection the store decides through. */
  get client(): Redis | Cluster {
    return this.#client;
  }

  /** Whether the last decision could not reach Redis (the fallback, if any, is in use). */
  get down(): boolean {
    return this.#connection.down;
  }

  /** The shared limit last seen (from a decision, `setLimit`, `getLimit` or a notification). */
  get sharedLimit(): SharedLimit | undefined {
    return this.#shared.current;
  }

  /**
   * A snapshot of the counters.
   * @example
   * ```ts
   * const { decisions, granted, refused, errors, fallbackDecisions, lateAnswers } = store.stats;
   * ```
   */
  get stats(): RedisRateLimitStoreStats {
    return {
      decisions: this.#decisions,
      granted: this.#granted,
      refused: this.#refused,
      errors: this.#errors,
      fallbackDecisions: this.#fallbackDecisions,
      lateAnswers: this.#lateAnswers,
    };
  }

  /**
   * Decides one acquisition in Redis for every process at once (see `RateLimitStore.take`).
   *
   * @param clock - the limiter's clock (used by the fallback, and to age this store's own grants)
   * @param maxCount - the caller's limit; the shared limit, when one is set, replaces it
   * @param interval - the caller's window in milliseconds; replaced likewise
   * @returns a promise of `0` (granted) or the milliseconds until a retry can succeed
   * @throws (rejects) {@link RateLimitStoreError} when Redis cannot decide and there is no fallback;
   *   {@link RateLimitKeyConflictError} when another store uses this key with another limit
   */
  async take(
    clock: Pick<Clock, 'now'>,
    maxCount: number,
    interval: number,
  ): Promise<RateLimitDecision> {
    this.#decisions++;
    if (this.#closed) {
      throw new RateLimitStoreError(
        `Redis rate-limit store "${this.key}" is closed: the acquisition was refused; create a new store`,
        this.key,
      );
    }
    let local = clock.now();
    let lease: LeaseRequest | undefined;
    for (let late = 0; ; late++) {
      const leasedAt = this.#leases.use(local, maxCount, interval);
      if (leasedAt !== undefined) {
        this.#granted++;
        this.#onDecision?.({
          granted: true,
          wait: 0,
          time: Number(leasedAt) / 1000,
          fallback: false,
        });
        return 0;
      }
      if (late === MAX_LATE_ANSWERS) {
        return this.#failed(
          new RateLimitStoreError(
            this.#message(
              `answered ${late} grants in a row later than they could be used (after more than ${this.#hold
                .next(interval)
                .toFixed(0)} ms each; this process was busy, or the link is slow)`,
            ),
            this.key,
          ),
          clock,
        );
      }
      lease ??= this.#leases.request(local, maxCount, interval);
      if (this.#connection.down && this.#client.status !== 'ready') {
        // Known down and still not connected: do not queue another command behind the reconnection.
        return this.#failed(
          new RateLimitStoreError(this.#message('is unreachable'), this.key),
          clock,
        );
      }
      const hold = this.#hold.next(interval);
      let reply: Reply;
      let suffix: string;
      try {
        [reply, suffix] = await this.#decide(
          maxCount,
          interval,
          local,
          lease,
          hold + useWithin(interval),
        );
      } catch (error) {
        return this.#failed(error, clock);
      }
      if (reply[0] === -2) {
        // Redis answered: another store uses this key with another limit. Not an outage.
        throw new RateLimitKeyConflictError(
          this.key,
          maxCount,
          interval,
          Number(reply[2]),
          Number(reply[3]),
        );
      }
      const done = clock.now();
      this.#connection.answered();
      this.#leases.answered(local, done);
      this.#hold.answered(local, done);
      if (reply[0] === 1 && done - local > hold) {
        // Received after the time Redis recorded it at: another process may already have been
        // granted this slot again. Give it up (the next decision removes it) and ask again.
        this.#lateAnswers++;
        this.#release = `${reply[5]}:${suffix}`;
        this.#startLease(reply, suffix, local, lease.lifetime, maxCount, interval);
        local = done;
        continue;
      }
      return this.#answered(reply, suffix, local, lease.lifetime, maxCount, interval);
    }
  }

  /**
   * Forgets every recorded grant of this key, for every process (the shared limit stays).
   *
   * @throws (rejects) {@link RateLimitStoreError} when Redis cannot be reached
   * @example
   * ```ts
   * await store.clear();
   * ```
   */
  async clear(): Promise<void> {
    this.#leases.drop();
    this.#own.clear();
    await this.#withTimeout(
      () => this.#script(SCRIPTS.clear, [this.#keys[0], this.#keys[2]], []),
      'clear',
    );
  }

  /**
   * Sets the limit of this key for every process: stored in Redis (it does not expire), applied by
   * every decision from now on instead of the callers' own values, announced on the channel
   * `key:limit`, and copied into the limiters attached with {@link RedisRateLimitStore.attach} in
   * every process.
   *
   * @param maxCount - at most this many grants in any window; `0` means unlimited
   * @param interval - the window: milliseconds or a duration string (`'1s'`); `0` means unlimited
   * @returns the limit as stored, with its version
   * @throws {@link @cs/ratelimit!RateLimitConfigError} for a negative or non-integer `maxCount` or an invalid
   *   `interval`; (rejects) {@link RateLimitStoreError} when Redis cannot be reached
   * @example
   * ```ts
   * await store.setLimit(50, '1s'); // every process, at once
   * ```
   */
  async setLimit(maxCount: number, interval: number | string): Promise<SharedLimit> {
    if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
      throw new RateLimitConfigError('maxCount', maxCount, 'a non-negative integer');
    }
    const ms = parseDuration(interval);
    const version = await this.#withTimeout(
      () => this.#script(SCRIPTS.setLimit, [this.#keys[1]], [maxCount, ms, this.#channel]),
      'setLimit',
    );
    const limit: SharedLimit = { maxCount, interval: ms, version: Number(version) };
    this.#shared.apply(limit.maxCount, limit.interval, limit.version);
    return limit;
  }

  /**
   * Reads the shared limit of this key, if one is set.
   *
   * @returns the limit, or `undefined` when every caller's own values apply
   * @throws (rejects) {@link RateLimitStoreError} when Redis cannot be reached
   * @example
   * ```ts
   * const shared = await store.getLimit(); // { maxCount: 50, interval: 1000, version } or undefined
   * ```
   */
  async getLimit(): Promise<SharedLimit | undefined> {
    const [m, i, v] = await this.#withTimeout(
      () => this.#client.hmget(this.#keys[1], 'maxCount', 'interval', 'version'),
      'getLimit',
    );
    if (m == null || i == null) return undefined;
    const limit: SharedLimit = { maxCount: Number(m), interval: Number(i), version: Number(v) };
    this.#shared.apply(limit.maxCount, limit.interval, limit.version);
    return limit;
  }

  /**
   * Removes the shared limit: each caller's own values apply again (attached limiters keep the
   * values they last received).
   *
   * @throws (rejects) {@link RateLimitStoreError} when Redis cannot be reached
   * @example
   * ```ts
   * await store.clearLimit();
   * ```
   */
  async clearLimit(): Promise<void> {
    await this.#withTimeout(() => this.#client.del(this.#keys[1]), 'clearLimit');
  }

  /**
   * Keeps `limit`'s `maxCount` and `interval` equal to the shared limit of this key: from every
   * decision's answer, from the limit read at once, and (unless `subscribe: false`) from the
   * pub/sub notification that {@link RedisRateLimitStore.setLimit} sends, which also re-examines its
   * waiters at once. Until a shared limit is set, `limit` keeps its own values.
   *
   * @param limit - a limiter deciding through this store
   * @returns a function that detaches it
   * @example
   * ```ts
   * const limit = new RateLimitProperties({ maxCount: 100, interval: '1s', block: true, store });
   * const detach = store.attach(limit);
   * ```
   */
  attach(limit: RateLimitProperties): () => void {
    const detach = this.#shared.attach(limit);
    this.#watch();
    return detach;
  }

  /**
   * Calls `listener` whenever a newer shared limit is seen (as {@link RedisRateLimitStore.attach}
   * does for limiters).
   *
   * @param listener - receives the new limit
   * @returns a function that removes the listener
   * @example
   * ```ts
   * const off = store.onLimitChange(({ maxCount, interval }) => log.info(`now ${maxCount}/${interval} ms`));
   * ```
   */
  onLimitChange(listener: (limit: SharedLimit) => void): () => void {
    const off = this.#shared.listen(listener);
    this.#watch();
    return off;
  }

  /**
   * Closes what the store opened: its pub/sub connection, and its Redis connection when it was
   * created from a URL (a client passed in stays open: its owner closes it). Later decisions fail
   * with {@link RateLimitStoreError}.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void store.close());
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#leases.drop();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    subscriber?.disconnect();
    if (this.#owned) {
      const client = this.#client;
      if (client.status === 'end') return;
      if (client.status === 'reconnecting') {
        // Between two attempts no socket is open: cancelling the next attempt is all there is.
        client.disconnect();
        return;
      }
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      if (client.status === 'ready') {
        await client.quit().catch(() => undefined);
      }
      client.disconnect();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
    }
  }

  /**
   * Asks Redis to decide (sent at `local`); when Redis lost the log of the limit (a restart
   * without persistence), re-enters this store's recent grants first and asks again.
   */
  async #decide(
    maxCount: number,
    interval: number,
    local: number,
    lease: LeaseRequest,
    hold: number,
  ): Promise<[reply: Reply, suffix: string]> {
    const first = await this.#take(maxCount, interval, this.#own.hasRecent(local), lease, hold);
    if (first[0][0] !== -1) return first;
    await this.#reseed(local);
    return this.#take(maxCount, interval, false, lease, hold);
  }

  /** Runs the decision script; answers its reply and the member a grant was recorded under. */
  async #take(
    maxCount: number,
    interval: number,
    hasRecent: boolean,
    lease: LeaseRequest,
    hold: number,
  ): Promise<[reply: Reply, suffix: string]> {
    const suffix = `${this.#tag}:${++this.#seq}`;
    const release = this.#release;
    const reply = await this.#withTimeout(
      () =>
        this.#script(SCRIPTS.take, this.#keys, [
          maxCount,
          interval,
          suffix,
          hasRecent ? '1' : '0',
          lease.want,
          Math.floor(lease.lifetime * 1000),
          this.#tag,
          Math.ceil(hold * 1000),
          release,
        ]),
      'take',
    );
    // Redis ran the script: the grant given up is gone (unless another was given up meanwhile).
    if (this.#release === release) this.#release = '';
    if (!isReply(reply)) {
      throw new RateLimitStoreError(
        `Redis rate-limit store "${this.key}": the decision script answered something unexpected; is this a Redis server (5.0 or later)?`,
        this.key,
      );
    }
    return [reply, suffix];
  }

  /**
   * Takes Redis's answer to a decision sent at `local`: the shared limit it applied, and a refusal
   * or a grant (remembered for a reseed, with the lease that came with it).
   */
  #answered(
    reply: Reply,
    suffix: string,
    local: number,
    lifetime: number,
    maxCount: number,
    interval: number,
  ): RateLimitDecision {
    const [code, waitUs, m, i, version, nowUs] = reply;
    const effectiveMax = Number(m);
    const effectiveInterval = Number(i);
    if (Number(version) > 0) this.#shared.apply(effectiveMax, effectiveInterval, Number(version));
    this.#own.seen(effectiveMax, effectiveInterval);
    if (code === 0) {
      const wait = Math.max(waitUs / 1000, 0.001);
      this.#refused++;
      this.#leases.refused(local);
      this.#onDecision?.({ granted: false, wait, time: undefined, fallback: false });
      return wait;
    }
    this.#granted++;
    if (code === 1) {
      this.#own.remember(nowUs, `${nowUs}:${suffix}`, local);
      this.#startLease(reply, suffix, local, lifetime, maxCount, interval);
      this.#onDecision?.({ granted: true, wait: 0, time: Number(nowUs) / 1000, fallback: false });
    } else {
      this.#onDecision?.({ granted: true, wait: 0, time: undefined, fallback: false });
    }
    return 0;
  }

  /**
   * Starts the lease that came with a grant, if any (valid by itself: each slot is used before its
   * recorded time, whether or not the grant it came with was used).
   */
  #startLease(
    reply: Reply,
    suffix: string,
    local: number,
    lifetime: number,
    maxCount: number,
    interval: number,
  ): void {
    const [, , , , , , leased, leaseAt] = reply;
    if (leased <= 0) return;
    for (let j = 1; j <= leased; j++) {
      this.#own.remember(leaseAt, `${leaseAt}:${suffix}:${j}`, local + lifetime);
    }
    this.#leases.start(leased, leaseAt, local, lifetime, maxCount, interval);
  }

  /** Runs a script by its SHA-1, loading it with EVAL when Redis does not know it (yet). */
  async #script(
    script: Script,
    keys: readonly string[],
    args: (string | number)[],
  ): Promise<unknown> {
    try {
      return await this.#client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return this.#client.eval(script.lua, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }

  /** Runs `run`, failing with a RateLimitStoreError after `timeoutMs` or on a client error. */
  #withTimeout<T>(run: () => Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new RateLimitStoreError(
            this.#message(`did not answer within ${this.#timeoutMs} ms (${what})`, what),
            this.key,
          ),
        );
      }, this.#timeoutMs);
      run().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(
            error instanceof RateLimitStoreError
              ? error
              : new RateLimitStoreError(
                  this.#message(
                    `failed (${what}): ${redactedError(error, this.#secrets).message}`,
                    what,
                  ),
                  this.key,
                  redactedError(error, this.#secrets),
                ),
          );
        },
      );
    });
  }

  #message(what: string, operation = 'take'): string {
    const where = `Redis rate-limit store "${this.key}": Redis ${what} (connection ${this.#client.status})`;
    return operation === 'take' || operation === 'reseed'
      ? `${where}; the acquisition was refused, not granted. Check that Redis is reachable, raise timeoutMs, or give the store a fallback limit`
      : `${where}; ${operation}() did not complete. Check that Redis is reachable, or raise timeoutMs`;
  }

  /** A decision Redis could not make: the fallback decides, or the acquisition fails. */
  async #failed(error: unknown, clock: Pick<Clock, 'now'>): Promise<RateLimitDecision> {
    this.#errors++;
    const storeError =
      error instanceof RateLimitStoreError
        ? error
        : new RateLimitStoreError(
            this.#message('failed'),
            this.key,
            redactedError(error, this.#secrets),
          );
    const fallback = this.#fallback;
    this.#connection.lost(storeError.message, fallback !== undefined);
    if (!fallback) throw storeError;
    this.#fallbackDecisions++;
    const pending = decideByFallback(fallback, clock);
    const decision = typeof pending === 'number' ? pending : await pending;
    if (decision <= 0) this.#granted++;
    else this.#refused++;
    this.#onDecision?.({
      granted: decision <= 0,
      wait: Math.max(decision, 0),
      time: undefined,
      fallback: true,
    });
    return decision;
  }

  /** Re-enters this store's recent grants into a log that Redis lost. */
  async #reseed(local: number): Promise<void> {
    const grants = this.#own.reseedArguments(local);
    const args: (string | number)[] = [Math.ceil(this.#own.intervalSeen * 1000), ...grants];
    await this.#withTimeout(
      () => this.#script(SCRIPTS.reseed, [this.#keys[0], this.#keys[2]], args),
      'reseed',
    );
    this.#logger?.warn?.(
      `Redis rate-limit store "${this.key}": Redis had lost the log of this limit (a restart without persistence?); re-entered this process's ${
        grants.length / 2
      } recent grants`,
      { key: this.key },
    );
  }

  /** Starts listening for limit changes (once), and reads the current limit. */
  #watch(): void {
    if (this.#closed) return;
    if (this.#subscribe && this.#subscriber === undefined) {
      const subscriber = this.#client.duplicate();
      this.#subscriber = subscriber;
      subscriber.on('error', (error: Error) => this.#connectionError(error));
      subscriber.on('message', (channel: string, message: string) => {
        if (channel !== this.#channel) return;
        const [m, i, v] = message.split(' ').map(Number);
        if (m === undefined || i === undefined || v === undefined || Number.isNaN(v)) {
          this.#logger?.warn?.(
            `Redis rate-limit store "${this.key}": ignored an unreadable limit notification`,
            { key: this.key },
          );
          return;
        }
        this.#shared.apply(m, i, v);
      });
      // After a reconnection, notifications may have been missed: read the limit again.
      subscriber.on('ready', () => {
        void this.getLimit().catch(() => undefined);
      });
      subscriber.subscribe(this.#channel).catch((error: unknown) => {
        this.#logger?.warn?.(
          `Redis rate-limit store "${this.key}": could not subscribe to limit changes (${redactedError(error, this.#secrets).message}); changes arrive with the next decision instead`,
          { key: this.key },
        );
      });
    }
    void this.getLimit().catch(() => undefined);
  }

  #connectionError(error: Error): void {
    this.#logger?.debug?.(
      `Redis rate-limit store "${this.key}": connection error: ${redact(String(error.message), this.#secrets)}`,
      {
        key: this.key,
      },
    );
  }
}

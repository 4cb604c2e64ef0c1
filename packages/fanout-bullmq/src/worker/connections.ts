/** The Redis connections of a worker, their scripts, and the rate-limit stores it gives its limits. */

import { Redis } from 'ioredis';
import { closeConfiguredStores } from '@cs/config';
import { createRedisRateLimitStore, RedisRateLimitStore } from '@cs/ratelimit-redis';
import type { RedisStoreSpec } from '@cs/ratelimit-redis';
import { JOB_START_SCRIPT, MARK_SCRIPT, NOTIFY_SCRIPT, RECORD_SCRIPT } from '../internal/protocol';

/** The Lua scripts a worker runs on its records' connection. */
export interface RecordScripts {
  csRecord(
    run: string,
    ready: string,
    out: string,
    running: string,
    index: string,
    entry: string,
  ): Promise<number>;
  csMark(run: string, running: string, index: string, job: string): Promise<number>;
  csJobStart(out: string, running: string, ...indices: string[]): Promise<number[]>;
}

/** What `loadRateLimitRedis` of `@cs/config`'s builders gives: the stores of the Redis limits. */
export interface RateLimitRedis {
  createRedisRateLimitStore(spec: RedisStoreSpec): RedisRateLimitStore;
}

/** A worker's connections to the queue's Redis. */
export interface WorkerConnections {
  /** BullMQ's connection, which also notifies the producer. */
  readonly redis: Redis;
  /** The cancel channel's. */
  readonly subscriber: Redis;
  /** The targets' records (running, outcome), pipelined. */
  readonly records: Redis;
  readonly notify: { csNotify(run: string, ready: string, entry: string): Promise<unknown> };
  readonly scripts: RecordScripts;
  /** The stores of the limits the worker builds: on the queue's Redis, one shared connection. */
  readonly rateLimitRedis: RateLimitRedis;
  /** Closes them all, and the stores of the limits built (after the BullMQ worker closed). */
  close(): Promise<void>;
}

/** Opens the connections of a worker on the queue's Redis at `url`. */
export function openConnections(url: string): WorkerConnections {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  for (const c of [redis, subscriber]) c.on('error', () => undefined);
  redis.defineCommand('csNotify', { numberOfKeys: 2, lua: NOTIFY_SCRIPT });
  // One connection for every limit on the queue's Redis (a worker builds one limit per target:
  // a connection each would be thousands), its commands pipelined. A store on another Redis (named
  // in the configuration) opens its own, as the builders do.
  const limits = new Redis(url, { enableAutoPipelining: true });
  limits.on('error', () => undefined);
  const rateLimitRedis = {
    createRedisRateLimitStore: (spec: RedisStoreSpec) =>
      spec.url === url
        ? new RedisRateLimitStore({
            client: limits,
            key: spec.key,
            ...(spec.logger === undefined ? {} : { logger: spec.logger }),
            // No pub/sub connection per limit: a change of the shared limit is read at the next decision.
            subscribe: false,
            // One connection carries every limit's decisions: give a busy worker some slack.
            timeoutMs: 5_000,
          })
        : createRedisRateLimitStore(spec),
  };
  // The targets' records (running, outcome) on a pipelined connection of their own: the commands
  // of a tick leave in one write, not in one system call each.
  const records = new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  records.on('error', () => undefined);
  records.defineCommand('csRecord', { numberOfKeys: 4, lua: RECORD_SCRIPT });
  records.defineCommand('csMark', { numberOfKeys: 2, lua: MARK_SCRIPT });
  records.defineCommand('csJobStart', { numberOfKeys: 2, lua: JOB_START_SCRIPT });
  return {
    redis,
    subscriber,
    records,
    notify: redis as unknown as WorkerConnections['notify'],
    scripts: records as unknown as RecordScripts,
    rateLimitRedis,
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
      await redis.quit().catch(() => redis.disconnect());
      await records.quit().catch(() => records.disconnect());
      await closeConfiguredStores();
      await limits.quit().catch(() => limits.disconnect());
    },
  };
}

/**
 * What producers and workers write to Redis, and where: the run's record, its collected results,
 * the list of finished jobs, the index of runs and the cancel channel. Nothing here holds a
 * credential: a run names its configuration by file, section and digest.
 */

import type { Redis } from 'ioredis';
import type { ErrorClass } from '@cs/regional';
import type { ConfigIdentity } from './plan';

/** The default queue name (BullMQ's keys are `bull:<queue>:...`, ours `<queue>:run:...`). @internal */
export const DEFAULT_QUEUE = 'cs-aws';

/** The keys of one queue. @internal */
export const keys = (queue: string) => ({
  runs: `${queue}:runs`,
  cancel: `${queue}:cancel`,
  run: (id: string) => `${queue}:run:${id}`,
  done: (id: string) => `${queue}:run:${id}:done`,
  ready: (id: string) => `${queue}:run:${id}:ready`,
  job: (id: string, index: number) => `bull:${queue}:${jobId(id, index)}`,
  /** BullMQ's list of the jobs that workers run now. */
  active: `bull:${queue}:active`,
});

/** A job's id: the run and the target's index. @internal */
export const jobId = (run: string, index: number): string => `${run}-${index}`;

/** What a job carries: the run, the target's index, entry and region (and an organisation's member account id). @internal */
export interface JobData {
  readonly run: string;
  readonly i: number;
  readonly e: number;
  readonly r: string;
  /** The member's account id, for an entry whose accounts come from an organisation. */
  readonly a?: string;
}

/** A target's outcome as a worker returns it (short keys: 10,000 of them may wait in Redis). @internal */
export interface WireResult {
  /** status */
  readonly s: 'succeeded' | 'failed' | 'skipped';
  /** value */
  readonly v?: unknown;
  /** account id */
  readonly a?: string;
  /** alias */
  readonly l?: string;
  /** region */
  readonly r?: string;
  /** duration (ms) */
  readonly d: number;
  /** error class */
  readonly c?: ErrorClass;
  /** error code */
  readonly k?: string;
  /** error name */
  readonly n?: string;
  /** error message */
  readonly m?: string;
  /** the run had expired: nobody collects this */
  readonly x?: 1;
}

/** The state of a run. @public */
export type RunState = 'running' | 'cancelled' | 'finished';

/** A run's record in Redis. @internal */
export interface RunMeta extends ConfigIdentity {
  readonly id: string;
  readonly app: string;
  readonly task: string;
  readonly input: unknown;
  readonly total: number;
  readonly created: number;
  readonly ttl: number;
  readonly state: RunState;
  readonly timeout: number | undefined;
  readonly aliases: boolean;
  readonly attempts: number;
}

/** Writes a run's record. @internal */
export const writeMeta = (redis: Redis, key: string, meta: RunMeta): Promise<unknown> =>
  redis
    .multi()
    .hset(key, {
      id: meta.id,
      file: meta.file,
      section: meta.section,
      digest: meta.digest,
      app: meta.app,
      task: meta.task,
      input: JSON.stringify(meta.input ?? null),
      total: String(meta.total),
      created: String(meta.created),
      ttl: String(meta.ttl),
      state: meta.state,
      timeout: meta.timeout === undefined ? '' : String(meta.timeout),
      aliases: meta.aliases ? '1' : '0',
      attempts: String(meta.attempts),
    })
    .expire(key, meta.ttl)
    .exec();

/** Reads a run's record (undefined when Redis has none). @internal */
export async function readMeta(redis: Redis, key: string): Promise<RunMeta | undefined> {
  const h = await redis.hgetall(key);
  if (h.id === undefined) return undefined;
  return {
    id: h.id,
    file: h.file ?? '',
    section: h.section ?? '',
    digest: h.digest ?? '',
    app: h.app ?? '',
    task: h.task ?? '',
    input: JSON.parse(h.input ?? 'null') as unknown,
    total: Number(h.total),
    created: Number(h.created),
    ttl: Number(h.ttl),
    state: (h.state ?? 'running') as RunState,
    timeout: h.timeout ? Number(h.timeout) : undefined,
    aliases: h.aliases !== '0',
    attempts: Number(h.attempts) || 1,
  };
}

/** Pushes a job's outcome (or, for a failed job, its index) to its run's list, only while the run exists. @internal */
export const NOTIFY_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) return 1 end return 0`;

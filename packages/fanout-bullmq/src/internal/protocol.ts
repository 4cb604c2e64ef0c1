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
  /** The targets whose outcome a worker pushed (index → 1): a job taken over skips them. */
  out: (id: string) => `${queue}:run:${id}:out`,
  /** The targets workers run now (index → its job's first index). */
  running: (id: string) => `${queue}:run:${id}:running`,
  /** How the run's targets are grouped in jobs (see {@link JobLayout}). */
  jobs: (id: string) => `${queue}:run:${id}:jobs`,
  job: (id: string, start: number) => `bull:${queue}:${jobId(id, start)}`,
  /** BullMQ's list of the jobs that workers run now. */
  active: `bull:${queue}:active`,
});

/** A job's id: the run and the index of the job's first target. @internal */
export const jobId = (run: string, start: number): string => `${run}-${start}`;

/** The most targets one job carries by default (an account with more regions has several jobs). @internal */
export const MAX_JOB_TARGETS = 32;

/**
 * What a job carries: the run, one entry of the section (and an organisation's member account
 * id) and some of its targets (at most `targetsPerJob`, up to 256): their indices in the run and
 * their regions. @internal
 */
export interface JobData {
  readonly run: string;
  readonly e: number;
  /** The targets' indices in the run. */
  readonly t: readonly number[];
  /** The targets' regions (as `t`). */
  readonly r: readonly string[];
  /** The member's account id, for an entry whose accounts come from an organisation. */
  readonly a?: string;
}

/**
 * How a run's targets are grouped in jobs: consecutive targets of one entry (and member), at most
 * `targetsPerJob` a job, a job named by its first target's index. Targets from `planned`
 * on have no job (their outcomes were known at once): each is its own group. Stored in Redis as
 * the sizes of the groups, run-length encoded, so that a resumed producer finds each target's job.
 *
 * @internal
 */
export class JobLayout {
  /** The first index of each job, ascending. */
  readonly starts: readonly number[];
  /** How many targets have a job (indices 0 to planned - 1). */
  readonly planned: number;

  constructor(starts: readonly number[], planned: number) {
    this.starts = starts;
    this.planned = planned;
  }

  /** Groups targets: a new job where the entry or the member changes, or past `max`. */
  static plan(
    targets: readonly { readonly entry: number; readonly account?: string | undefined }[],
    max: number,
  ): JobLayout {
    const starts: number[] = [];
    targets.forEach((t, i) => {
      const first = starts[starts.length - 1];
      const head = first === undefined ? undefined : targets[first];
      if (
        head === undefined ||
        first === undefined ||
        head.entry !== t.entry ||
        head.account !== t.account ||
        i - first >= max
      ) {
        starts.push(i);
      }
    });
    return new JobLayout(starts, targets.length);
  }

  /** The layout of a run that stored none: one job per target. */
  static single(): JobLayout {
    return new JobLayout([], 0);
  }

  /** The first index of target `i`'s job. */
  jobOf(i: number): number {
    if (i >= this.planned || this.starts.length === 0) return i;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.starts[lo] as number;
  }

  /** `[size, count]` pairs: `count` jobs of `size` targets each, in order. */
  encode(): string {
    const runs: [number, number][] = [];
    this.starts.forEach((start, n) => {
      const size = (this.starts[n + 1] ?? this.planned) - start;
      const last = runs[runs.length - 1];
      if (last !== undefined && last[0] === size) last[1] += 1;
      else runs.push([size, 1]);
    });
    return JSON.stringify(runs);
  }

  /** The layout {@link JobLayout.encode} wrote (one job per target when there is none). */
  static decode(text: string | null): JobLayout {
    if (text === null) return JobLayout.single();
    const starts: number[] = [];
    let at = 0;
    for (const [size, count] of JSON.parse(text) as [number, number][]) {
      for (let n = 0; n < count; n += 1) {
        starts.push(at);
        at += size;
      }
    }
    return new JobLayout(starts, at);
  }
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

/** Pushes a failed job's index to its run's list (the producer looks at the job), only while the run exists. @internal */
export const NOTIFY_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) return 1 end return 0`;

/** Gives KEYS[n] the run's (KEYS[1]) remaining time to live when it has none. */
const KEEP_TTL = (n: number): string =>
  `if redis.call('TTL', KEYS[${n}]) == -1 then redis.call('EXPIRE', KEYS[${n}], math.max(1, redis.call('TTL', KEYS[1]))) end`;

/**
 * Records one target's outcome as it finishes, once: while the run (KEYS[1]) exists and no outcome
 * of the target (ARGV[1]) was pushed yet (KEYS[3], HSETNX), pushes it (ARGV[2]) to the run's list
 * (KEYS[2]); the target is no longer running (KEYS[4]). Returns 1 pushed, 2 pushed before, 0 no run.
 *
 * @internal
 */
export const RECORD_SCRIPT = `
redis.call('HDEL', KEYS[4], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[3], ARGV[1], 1) == 0 then return 2 end
${KEEP_TTL(3)}
redis.call('RPUSH', KEYS[2], ARGV[2])
${KEEP_TTL(2)}
return 1`;

/** Marks a target (ARGV[1]) running in its job (ARGV[2]), while the run (KEYS[1]) exists. @internal */
export const MARK_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
${KEEP_TTL(2)}
return 1`;

/**
 * At a job's start: which of its targets (ARGV) have an outcome pushed already (KEYS[1]), 1 or 0
 * each; the others are not running (a dead worker's marks in KEYS[2] are dropped).
 *
 * @internal
 */
export const JOB_START_SCRIPT = `
local out = {}
for n, i in ipairs(ARGV) do
  if redis.call('HEXISTS', KEYS[1], i) == 1 then out[n] = 1 else
    redis.call('HDEL', KEYS[2], i)
    out[n] = 0
  end
end
return out`;

/**
 * The producer: submits a run (one job per account with its targets, by reference), collects the
 * targets' outcomes as they finish, exactly once each, and resumes or cancels a run by its id.
 */

import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { classifyError, FanOutReport, FanOutStoppedError } from '@cs/regional';
import type {
  ErrorClass,
  FanOutResult,
  FanOutSummary,
  IgnoreRule,
  ServiceModuleLoader,
} from '@cs/regional';
import { taskNamed, taskRegistry } from './defineTask';
import type { Task, TaskRegistry } from './defineTask';
import { QueueUsageError, RemoteTaskError, RunNotFoundError } from './errors';
import { defaultApp, digestOf, loadQueueConfig, sectionOf, sectionPath } from './internal/plan';
import type { QueueConfig } from './internal/plan';
import { expandTargets } from './internal/expand';
import type { TargetRef } from './internal/expand';
import {
  DEFAULT_QUEUE,
  jobId,
  JobLayout,
  keys,
  MAX_JOB_TARGETS,
  readMeta,
  writeMeta,
} from './internal/protocol';
import { activeJobIds, countRunning } from './internal/running';
import type { JobData, RunMeta, RunState, WireResult } from './internal/protocol';
import { reachRedis } from './internal/reach';

/**
 * Where the queue is: the Redis URL and, optionally, the queue's name.
 *
 * @public
 */
export interface QueueConnection {
  /** The Redis of the queue: `redis://host:6379`. */
  readonly connection: string;
  /**
   * The queue's name (the workers' too).
   * @defaultValue `'cs-aws'`
   */
  readonly queue?: string;
}

/**
 * How a producer follows a run (the options of {@link submitRun} and {@link attachRun}).
 *
 * @public
 */
export interface CollectOptions {
  /**
   * Cancels the run when it fires (as {@link QueuedRun.cancel}).
   * @defaultValue none
   */
  readonly signal?: AbortSignal;
  /** Rules that turn a failure into a `skipped` target (as `RegionalAccountSet.map`'s). */
  readonly ignore?: readonly IgnoreRule[];
  /** Cancel the run at the first failed target. @defaultValue false */
  readonly failFast?: boolean;
  /** How many failed targets the run tolerates (a count, or a fraction between 0 and 1). @defaultValue Infinity */
  readonly tolerance?: number;
  /**
   * How long (ms) the producer waits for a finished job before it checks every pending job
   * itself (a notice lost with a dead worker or a restarted Redis; a job lost with Redis's data
   * is submitted again).
   * @defaultValue 2000
   */
  readonly reconcileInterval?: number;
}

/**
 * Options of {@link submitRun}.
 *
 * @public
 */
export interface SubmitRunOptions<I = unknown> extends QueueConnection, CollectOptions {
  /** The producer's configuration: a file, or `{ document, file }`; workers need the same. */
  readonly config: QueueConfig;
  /**
   * The top-level key holding the `RegionalAccountSet`.
   * @defaultValue the only such key
   */
  readonly app?: string;
  /** The task's name (a built-in `call`, `paginate`, `whoami`, or one of `tasks`). */
  readonly task: string;
  /** The task's input: plain JSON data, stored in Redis with the run (never put a secret in it). */
  readonly input?: I;
  /** Tasks besides the built-in ones, to check the name here. */
  readonly tasks?: Iterable<Task> | TaskRegistry;
  /**
   * A time limit per target (ms): past it the task's signal fires and the target fails (class
   * `network`), as in `RegionalAccountSet.map`.
   * @defaultValue none
   */
  readonly timeout?: number;
  /**
   * Read each account's alias for the results (IAM `ListAccountAliases`, once per account and
   * worker).
   * @defaultValue true
   */
  readonly aliases?: boolean;
  /**
   * How many times a target is tried when it fails with a retryable class (`throttled`,
   * `network`, after the SDK's own retries) or its rate-limit store could not decide (Redis slow
   * or away), with exponential backoff from `backoff` ms; the retry may run on another worker.
   * @defaultValue 3
   */
  readonly attempts?: number;
  /** The first retry's delay (ms), doubled each time. @defaultValue 1000 */
  readonly backoff?: number;
  /**
   * The most targets of one account a job holds (a whole number from 1 to 256): an account with
   * more regions has several jobs, which several workers may run at once. Fewer spread an
   * account's targets over more workers; more share the account's RegionalAccounts and BullMQ's
   * work per job between more targets.
   * @defaultValue 32
   */
  readonly targetsPerJob?: number;
  /**
   * How long (seconds) Redis keeps a run nobody follows: an abandoned run (its producer died and
   * was not resumed) and its unread outcomes expire then; a finished run's record (for `runs
   * show`) too.
   * @defaultValue 86400 (a day)
   */
  readonly ttl?: number;
  /**
   * How the producer loads `@aws-sdk/client-<service>` for the calls it makes itself: listing an
   * organisation's members (`Organization` entries) and asking an account's enabled regions
   * (`Filter.Discover`), once per run (see `BuildOptions` of `@cs/config`).
   * @defaultValue the runtime's `import()` from `@cs/regional`'s location
   */
  readonly loadServiceModule?: ServiceModuleLoader;
}

/**
 * What `runs list` and {@link QueuedRun.info} tell about a run.
 *
 * @public
 */
export interface RunInfo {
  /** The run's id. */
  readonly id: string;
  /** `running`, `cancelled` or `finished`. */
  readonly state: RunState;
  /** The task's name. */
  readonly task: string;
  /** The configuration's file and section. */
  readonly file: string;
  /** The section. */
  readonly section: string;
  /** When it was submitted (ms since the epoch). */
  readonly created: number;
  /** How many targets it has. */
  readonly total: number;
  /** How many outcomes a producer has collected. */
  readonly collected: number;
  /**
   * How many targets workers run now (started, not finished). A worker killed outright keeps its
   * targets counted until the stall check gives them to another worker.
   */
  readonly running: number;
}

/**
 * A run on the queue, as {@link submitRun} and {@link attachRun} return it.
 *
 * @public
 */
export interface QueuedRun<R = unknown> {
  /** The run's id: give it to {@link attachRun}, `cs-aws runs resume ID`. */
  readonly id: string;
  /** How many targets it has. */
  readonly total: number;
  /**
   * The outcomes as they finish, each target once, with bounded memory (an outcome leaves Redis
   * when it is read; nothing is kept here). Targets collected by an earlier producer of the same
   * run are not yielded again (see {@link QueuedRun.report}). Ends when every target has an
   * outcome; reading it once more yields nothing.
   */
  results(): AsyncIterableIterator<FanOutResult<R, undefined>>;
  /**
   * The counts so far. `running` is the targets workers run now (started, not finished), counted
   * again as results are read (at most every 250 ms, and at least every `reconcileInterval`) and
   * by {@link QueuedRun.info}; 0 once the run ended.
   */
  readonly summary: FanOutSummary;
  /**
   * Reads every outcome and gives the same `FanOutReport` as `RegionalAccountSet.map`: every
   * target exactly once. Targets collected before (by an earlier producer of the run that died,
   * or by this one's own `results()`) appear with their status, class and identity, but `value`
   * undefined: their values went to that reader (a report keeps only what it reads itself).
   */
  report(): Promise<FanOutReport<R, undefined>>;
  /** Cancels the run: jobs not started are removed (reported `skipped`), running tasks see their signal fire. */
  cancel(): Promise<void>;
  /** The run's record. */
  info(): Promise<RunInfo>;
  /** Closes the producer's connections (the run goes on; attach to it again by its id). */
  close(): Promise<void>;
}

const DEFAULT_TTL = 86_400;
/** How often a reading producer counts the running targets again (ms). */
const RUNNING_REFRESH_MS = 250;
const MAX_TARGETS = 1_000_000;
const BATCH = 500;

/**
 * Pops up to ARGV[1] entries of a run's list (KEYS[1]) and records each outcome among them in the
 * run's done hash (KEYS[2], HSETNX by index, without its value), in one atomic step: a producer
 * killed at any moment has recorded whatever it popped, so a resumed producer finds it there.
 * (Popped first and recorded after, an outcome popped by a producer killed in between was lost:
 * its job was gone, and nothing recorded it.) Returns entry, recorded (1 or 0), entry, ...
 */
const TAKE_OUTCOMES = `
local entries = redis.call('LPOP', KEYS[1], ARGV[1])
if not entries then return {} end
local out = {}
for _, entry in ipairs(entries) do
  local recorded = 0
  local ok, wire = pcall(cjson.decode, entry)
  if ok and type(wire) == 'table' and wire['s'] ~= nil and type(wire['i']) == 'number' then
    local i = wire['i']
    wire['i'] = nil
    wire['v'] = nil
    recorded = redis.call('HSETNX', KEYS[2], string.format('%d', i), cjson.encode(wire))
  end
  out[#out + 1] = entry
  out[#out + 1] = recorded
end
return out
`;

const runKeys = (queue: string) => keys(queue ?? DEFAULT_QUEUE);

/** Reaches the queue's Redis, then opens the connections of a producer. */
async function open(connection: string): Promise<{ redis: Redis; blocking: Redis }> {
  if (typeof connection !== 'string' || !/^rediss?:\/\//.test(connection)) {
    throw new QueueUsageError(
      'connection: expected a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
    );
  }
  await reachRedis(connection);
  const redis = new Redis(connection, { maxRetriesPerRequest: null });
  const blocking = new Redis(connection, { maxRetriesPerRequest: null });
  for (const c of [redis, blocking]) c.on('error', () => undefined);
  // Sent by its SHA (EVALSHA), not as text at every read; ioredis loads it when Redis lacks it.
  redis.defineCommand('csTakeOutcomes', { numberOfKeys: 2, lua: TAKE_OUTCOMES });
  return { redis, blocking };
}

/**
 * Submits a run: checks the configuration and the task here, writes the run's record (its
 * configuration by file, section and digest; its task and input) and one job per account (its
 * entry, member, and targets' indices and regions, at most `targetsPerJob` a job), and returns the
 * run, whose results stream back as workers finish them.
 * Nothing secret is written to Redis. Makes no AWS call, but to list an organisation's
 * members and an account's enabled regions (`Filter.Discover`), once.
 *
 * @param options - connection, config, app, task, input and the fan-out's options
 * @returns the run (read it with `results()` or `report()`; `close()` it when done)
 * @throws {@link QueueUsageError} (bad options), {@link UnknownTaskError}, `ConfigError` of
 * `@cs/config`, the AWS error when an organisation cannot be listed
 * @example
 * ```ts
 * const run = await submitRun({ connection: 'redis://127.0.0.1:6379', config: 'cs-aws.yaml', task: 'whoami' });
 * const report = await run.report();
 * await run.close();
 * console.log(report.summary);
 * ```
 * @public
 */
export async function submitRun<R = unknown, I = unknown>(
  options: SubmitRunOptions<I>,
): Promise<QueuedRun<R>> {
  const queue = options.queue ?? DEFAULT_QUEUE;
  taskNamed(taskRegistry(options.tasks ?? []), options.task, 'the producer');
  const ttl = options.ttl ?? DEFAULT_TTL;
  if (!Number.isInteger(ttl) || ttl < 1) {
    throw new QueueUsageError(`ttl must be a whole number of seconds of at least 1, got ${ttl}`);
  }
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
    throw new QueueUsageError(`attempts must be a whole number from 1 to 100, got ${attempts}`);
  }
  const targetsPerJob = options.targetsPerJob ?? MAX_JOB_TARGETS;
  if (!Number.isInteger(targetsPerJob) || targetsPerJob < 1 || targetsPerJob > 256) {
    throw new QueueUsageError(
      `targetsPerJob must be a whole number from 1 to 256, got ${targetsPerJob}`,
    );
  }
  const timeout = options.timeout;
  if (timeout !== undefined && !(timeout > 0 && Number.isFinite(timeout))) {
    throw new QueueUsageError(`timeout must be a positive number of milliseconds, got ${timeout}`);
  }
  const config = await loadQueueConfig(options.config);
  const app = options.app ?? defaultApp(config.document, config.file);
  const section = sectionOf(config, app);
  // Organisations listed and regions discovered here, once: jobs carry the member and region.
  const { targets, known } = await expandTargets(section, sectionPath(app), {
    source: config.file,
    loadServiceModule: options.loadServiceModule,
  });
  const total = targets.length + known.length;
  if (total > MAX_TARGETS) {
    throw new QueueUsageError(
      `${sectionPath(app)} resolves to ${total} targets, more than the ${MAX_TARGETS} a run takes: split it into several apps`,
    );
  }
  const id = randomBytes(6).toString('hex');
  const k = runKeys(queue);
  const layout = JobLayout.plan(targets, targetsPerJob);
  const meta: RunMeta = {
    id,
    file: config.file,
    section: sectionPath(app),
    digest: digestOf(section),
    app,
    task: options.task,
    input: options.input ?? null,
    total,
    created: Date.now(),
    ttl,
    state: 'running',
    timeout,
    aliases: options.aliases !== false,
    attempts,
  };
  const { redis, blocking } = await open(options.connection);
  const bull = new Queue<JobData>(queue, { connection: redis });
  bull.on('error', () => undefined);
  try {
    await writeMeta(redis, k.run(id), meta);
    await redis.zadd(k.runs, meta.created, id);
    if (known.length > 0) {
      // Targets known without a job (a suspended member, a failed discovery): their outcomes
      // wait in the run's list as a worker's would, after the jobs' indices.
      for (let start = 0; start < known.length; start += BATCH) {
        await redis.rpush(
          k.ready(id),
          ...known
            .slice(start, start + BATCH)
            .map((t, j) => JSON.stringify({ i: targets.length + start + j, d: 0, ...t.outcome })),
        );
      }
      await redis.expire(k.ready(id), ttl);
    }
    // One job per account (entry and member) and up to `targetsPerJob` of its regions.
    await redis.set(k.jobs(id), layout.encode(), 'EX', ttl);
    const jobs = layout.starts.map((start, n) => {
      const end = layout.starts[n + 1] ?? layout.planned;
      const indices: number[] = [];
      for (let i = start; i < end; i += 1) indices.push(i);
      return { start, indices };
    });
    for (const chunk of chunks(jobs, BATCH / 10)) {
      await bull.addBulk(
        chunk.map(({ start, indices }) =>
          jobFor(
            meta,
            start,
            indices,
            (i) => targets[i] as TargetRef,
            attempts,
            options.backoff ?? 1000,
          ),
        ),
      );
    }
  } catch (error) {
    await bull.close().catch(() => undefined);
    redis.disconnect();
    blocking.disconnect();
    throw error;
  }
  const pending = new Set<number>();
  for (let i = 0; i < total; i += 1) pending.add(i);
  return new Run<R>(meta, k, redis, blocking, bull, options, pending, layout, {
    attempts,
    backoff: options.backoff ?? 1000,
    targets: (i) => targets[i],
    known: (i) => known[i - targets.length]?.outcome,
  });
}

/**
 * Picks up a run by its id (after its producer died, or from another shell): its `results()`
 * yields the outcomes not collected yet, its `report()` covers every target.
 *
 * @param options - connection, queue, `id` and the collect options
 * @returns the run
 * @throws {@link RunNotFoundError} when Redis does not know the id
 * @example
 * ```ts
 * const run = await attachRun({ connection: 'redis://127.0.0.1:6379', id: '3f2a9c01b2de' });
 * console.log((await run.report()).summary);
 * await run.close();
 * ```
 * @public
 */
export async function attachRun<R = unknown>(
  options: QueueConnection & CollectOptions & { readonly id: string },
): Promise<QueuedRun<R>> {
  const queue = options.queue ?? DEFAULT_QUEUE;
  const k = runKeys(queue);
  const { redis, blocking } = await open(options.connection);
  try {
    const meta = await readMeta(redis, k.run(options.id));
    if (meta === undefined) throw new RunNotFoundError(options.id);
    const done = new Set((await redis.hkeys(k.done(meta.id))).map(Number));
    const pending = new Set<number>();
    for (let i = 0; i < meta.total; i += 1) if (!done.has(i)) pending.add(i);
    const layout = JobLayout.decode(await redis.get(k.jobs(meta.id)));
    const bull = new Queue<JobData>(queue, { connection: redis });
    bull.on('error', () => undefined);
    return new Run<R>(meta, k, redis, blocking, bull, options, pending, layout, undefined);
  } catch (error) {
    redis.disconnect();
    blocking.disconnect();
    throw error;
  }
}

/**
 * The runs Redis knows (newest first), with their state and progress.
 *
 * @param options - connection and queue
 * @returns the runs
 * @example
 * ```ts
 * for (const run of await listRuns({ connection: 'redis://127.0.0.1:6379' })) console.log(run.id, run.state);
 * ```
 * @public
 */
export async function listRuns(options: QueueConnection): Promise<RunInfo[]> {
  const k = runKeys(options.queue ?? DEFAULT_QUEUE);
  const { redis, blocking } = await open(options.connection);
  blocking.disconnect();
  try {
    const ids = await redis.zrevrange(k.runs, 0, 999);
    const active = await activeJobIds(redis, k.active);
    const infos: RunInfo[] = [];
    for (const id of ids) {
      const meta = await readMeta(redis, k.run(id));
      if (meta === undefined) {
        await redis.zrem(k.runs, id);
        continue;
      }
      const running = await countRunning(redis, k.active, id, k.running(id), active);
      infos.push(infoOf(meta, await redis.hlen(k.done(id)), running));
    }
    return infos;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

const infoOf = (meta: RunMeta, collected: number, running: number): RunInfo => ({
  id: meta.id,
  state: meta.state,
  task: meta.task,
  file: meta.file,
  section: meta.section,
  created: meta.created,
  total: meta.total,
  collected,
  running,
});

/** What the collected record of a target keeps (its value went to the producer that read it). */
type Compact = Omit<WireResult, 'v'>;

const IGNORED_NOTHING: readonly IgnoreRule[] = [];

const ruleMatches = (
  rule: IgnoreRule,
  errorClass: ErrorClass,
  code: string | undefined,
  message: string,
): boolean => {
  if (typeof rule === 'string') return rule === errorClass;
  if (rule.class !== undefined) {
    const classes: readonly ErrorClass[] =
      typeof rule.class === 'string' ? [rule.class] : rule.class;
    if (!classes.includes(errorClass)) return false;
  }
  if (rule.code !== undefined) {
    if (code === undefined) return false;
    if (typeof rule.code === 'string' ? rule.code !== code : !rule.code.test(code)) return false;
  }
  if (rule.message !== undefined) {
    const m = rule.message;
    if (
      typeof m === 'string' ? !message.toLowerCase().includes(m.toLowerCase()) : !m.test(message)
    ) {
      return false;
    }
  }
  return rule.class !== undefined || rule.code !== undefined || rule.message !== undefined;
};

/** How the submitting producer adds a lost job again. */
interface Resubmit {
  readonly attempts: number;
  readonly backoff: number;
  readonly targets: (i: number) => TargetRef | undefined;
  /** The outcome of a target known without a job (a suspended member, a failed discovery). */
  readonly known?: (i: number) => Omit<WireResult, 'd'> | undefined;
}

/** A run followed by this producer. */
class Run<R> implements QueuedRun<R> {
  readonly id: string;
  readonly total: number;
  readonly #meta: RunMeta;
  readonly #k: ReturnType<typeof keys>;
  readonly #redis: Redis;
  readonly #blocking: Redis;
  readonly #bull: Queue<JobData>;
  readonly #options: CollectOptions;
  readonly #pending: Set<number>;
  readonly #resubmit: Resubmit | undefined;
  readonly #layout: JobLayout;
  readonly #started = performance.now();
  #ended: number | undefined;
  #counts = { completed: 0, succeeded: 0, failed: 0, skipped: 0 };
  #byClass: Partial<Record<ErrorClass, number>> = {};
  #stopped: FanOutSummary['stopped'];
  #allowedFailures = Infinity;
  #heartbeat: NodeJS.Timeout | undefined;
  #reading = false;
  #closed = false;
  #unlink: (() => void) | undefined;

  constructor(
    meta: RunMeta,
    k: ReturnType<typeof keys>,
    redis: Redis,
    blocking: Redis,
    bull: Queue<JobData>,
    options: CollectOptions,
    pending: Set<number>,
    layout: JobLayout,
    resubmit: Resubmit | undefined,
  ) {
    this.#layout = layout;
    this.id = meta.id;
    this.total = meta.total;
    this.#meta = meta;
    this.#k = k;
    this.#redis = redis;
    this.#blocking = blocking;
    this.#bull = bull;
    this.#options = options;
    this.#pending = pending;
    this.#resubmit = resubmit;
    const { failFast, tolerance } = options;
    if (failFast === true) this.#allowedFailures = 0;
    else if (tolerance !== undefined) {
      if (!(tolerance >= 0))
        throw new QueueUsageError(`tolerance must be at least 0, got ${tolerance}`);
      this.#allowedFailures =
        tolerance > 0 && tolerance < 1 ? Math.floor(tolerance * meta.total) : tolerance;
    }
    // Keep the run alive while followed; an abandoned run expires `ttl` seconds after its last beat.
    const beat = Math.max(1_000, Math.min(60_000, (meta.ttl * 1000) / 3));
    this.#heartbeat = setInterval(() => void this.#touch().catch(() => undefined), beat);
    this.#heartbeat.unref();
    const signal = options.signal;
    if (signal !== undefined) {
      const onAbort = (): void => void this.#stop('aborted').catch(() => undefined);
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.#unlink = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  get summary(): FanOutSummary {
    return {
      total: this.total,
      ...this.#counts,
      running: this.#ended === undefined ? this.#running : 0,
      byClass: { ...this.#byClass },
      stopped: this.#stopped,
      durationMs: (this.#ended ?? performance.now()) - this.#started,
    };
  }

  async #touch(): Promise<void> {
    const { ttl } = this.#meta;
    await this.#redis
      .multi()
      .expire(this.#k.run(this.id), ttl)
      .expire(this.#k.done(this.id), ttl)
      .expire(this.#k.ready(this.id), ttl)
      .expire(this.#k.out(this.id), ttl)
      .expire(this.#k.running(this.id), ttl)
      .expire(this.#k.jobs(this.id), ttl)
      .exec();
  }

  async info(): Promise<RunInfo> {
    const meta = await readMeta(this.#redis, this.#k.run(this.id));
    if (meta === undefined) throw new RunNotFoundError(this.id);
    await this.#refreshRunning(0);
    return infoOf(meta, await this.#redis.hlen(this.#k.done(this.id)), this.#running);
  }

  /** Targets that workers run now (see {@link RunInfo.running}), as `summary.running` gives them. */
  #running = 0;
  #runningAt = -Infinity;

  /** Counts the running targets again, unless it did less than `maxAgeMs` ago. */
  async #refreshRunning(maxAgeMs: number): Promise<void> {
    const now = performance.now();
    if (now - this.#runningAt < maxAgeMs) return;
    this.#runningAt = now;
    this.#running = await countRunning(
      this.#redis,
      this.#k.active,
      this.id,
      this.#k.running(this.id),
    );
  }

  async cancel(): Promise<void> {
    await this.#stop('aborted');
  }

  async #stop(reason: 'aborted' | 'fail-fast' | 'tolerance'): Promise<void> {
    this.#stopped ??= reason;
    await this.#redis.hset(this.#k.run(this.id), 'state', 'cancelled');
    await this.#redis.publish(this.#k.cancel, this.id);
    // Remove every job not started; a running one ends as `skipped` through its signal.
    for (const chunk of chunks([...this.#jobsOf(this.#pending).keys()], BATCH)) {
      await Promise.all(chunk.map((j) => this.#bull.remove(jobId(this.id, j)).catch(() => 0)));
    }
    this.#reconcileSoon = true;
  }

  #reconcileSoon = false;

  /** Turns a worker's outcome into a result, applying the producer's ignore rules. */
  #result(wire: Compact & { v?: unknown }): FanOutResult<R, undefined> {
    const base = {
      accountId: wire.a,
      alias: wire.l,
      region: wire.r,
      durationMs: wire.d,
      target: undefined,
    };
    if (wire.s === 'succeeded') {
      return { ...base, ok: true, status: 'succeeded', value: wire.v as R };
    }
    const error =
      wire.n === 'FanOutStoppedError'
        ? new FanOutStoppedError('aborted', wire.m ?? 'the run was cancelled')
        : new RemoteTaskError(wire.m ?? 'the task failed', wire.n ?? 'Error', wire.k);
    const errorClass = wire.c ?? classifyError(error).errorClass;
    const ignored =
      wire.s === 'failed' &&
      (this.#options.ignore ?? IGNORED_NOTHING).some((rule) =>
        ruleMatches(rule, errorClass, wire.k, `${wire.m ?? ''}`),
      );
    return {
      ...base,
      ok: false,
      status: ignored ? 'skipped' : wire.s,
      error,
      errorClass,
      errorCode: wire.k,
    };
  }

  #count(result: FanOutResult<R, undefined>): void {
    this.#counts.completed += 1;
    this.#counts[result.status] += 1;
    if (!result.ok) this.#byClass[result.errorClass] = (this.#byClass[result.errorClass] ?? 0) + 1;
  }

  /** The pending targets among `indices`, by the first index of their job. */
  #jobsOf(indices: Iterable<number>): Map<number, number[]> {
    const jobs = new Map<number, number[]>();
    for (const i of indices) {
      if (!this.#pending.has(i)) continue;
      const start = this.#layout.jobOf(i);
      const list = jobs.get(start);
      if (list === undefined) jobs.set(start, [i]);
      else list.push(i);
    }
    return jobs;
  }

  /**
   * Reads the jobs of these targets; for each job failed for good (stalled too often), records
   * the outcome of its targets still pending once (HSETNX: a second producer or a second read
   * finds it recorded) and removes the job.
   * @returns the results this call recorded
   */
  async #collect(indices: readonly number[]): Promise<FanOutResult<R, undefined>[]> {
    const jobs = [...this.#jobsOf(indices)];
    const pipeline = this.#redis.pipeline();
    for (const [start] of jobs) {
      pipeline.hmget(
        this.#k.job(this.id, start),
        'finishedOn',
        'returnvalue',
        'failedReason',
        'data',
      );
    }
    const rows = (await pipeline.exec()) ?? [];
    const out: FanOutResult<R, undefined>[] = [];
    const missing: number[] = [];
    const failed: { start: number; reason: string; regions: Map<number, string> }[] = [];
    rows.forEach(([error, row], n) => {
      const [start, pending] = jobs[n] as [number, number[]];
      if (error) return;
      const [finishedOn, returnvalue, failedReason, data] = row as (string | null)[];
      if (data === null) {
        missing.push(...pending);
        return;
      }
      if (!finishedOn) return;
      // A completed job put its targets' outcomes in the run's list (read there).
      if (returnvalue !== null && returnvalue !== undefined && returnvalue !== '') return;
      const { t = [], r = [] } = JSON.parse(data ?? '{}') as Partial<JobData>;
      const regions = new Map<number, string>();
      t.forEach((i, m) => regions.set(i, r[m] ?? ''));
      failed.push({ start, reason: failedReason ?? 'the job failed without a reason', regions });
    });
    if (failed.length > 0) {
      // The outcomes its workers pushed before the job failed are in the run's list: those first.
      out.push(...(await this.#drain()));
      const record = this.#redis.pipeline();
      const recorded: { i: number; wire: WireResult }[] = [];
      for (const { reason, regions } of failed) {
        for (const [i, r] of regions) {
          if (!this.#pending.has(i)) continue;
          const wire: WireResult = {
            s: 'failed',
            ...(r === '' ? {} : { r }),
            d: 0,
            n: 'RemoteTaskError',
            m: reason,
          };
          record.hsetnx(this.#k.done(this.id), String(i), JSON.stringify(wire));
          recorded.push({ i, wire });
        }
      }
      const answers = recorded.length > 0 ? ((await record.exec()) ?? []) : [];
      recorded.forEach(({ i, wire }, n) => {
        this.#pending.delete(i);
        if (answers[n]?.[1] === 1) {
          this.#collectedHere?.add(i);
          out.push(this.#result(wire));
        }
      });
      await Promise.all(
        failed.map(({ start }) => this.#bull.remove(jobId(this.id, start)).catch(() => 0)),
      );
    }
    if (missing.length > 0) {
      // Outcomes pushed since the list was last read: their job is gone, their outcomes there.
      out.push(...(await this.#drain()));
      const lost = missing.filter((i) => this.#pending.has(i));
      if (lost.length > 0) await this.#lost(lost);
    }
    return out;
  }

  /** Reads the run's list until it is empty. */
  async #drain(): Promise<FanOutResult<R, undefined>[]> {
    const out: FanOutResult<R, undefined>[] = [];
    for (;;) {
      const taken = await this.#takeOutcomes();
      if (taken.length === 0) return out;
      out.push(...(await this.#take(taken)));
    }
  }

  /** Pops and records up to a batch of the run's list at once (see {@link TAKE_OUTCOMES}). */
  async #takeOutcomes(): Promise<{ entry: string; recorded: boolean }[]> {
    const take = this.#redis as unknown as {
      csTakeOutcomes(ready: string, done: string, count: number): Promise<(string | number)[]>;
    };
    const reply = await take.csTakeOutcomes(this.#k.ready(this.id), this.#k.done(this.id), BATCH);
    const taken: { entry: string; recorded: boolean }[] = [];
    for (let n = 0; n + 1 < reply.length; n += 2) {
      taken.push({ entry: String(reply[n]), recorded: Number(reply[n + 1]) === 1 });
    }
    return taken;
  }

  /**
   * The results of outcomes popped and recorded at once (a second producer, or a target that ran
   * twice, found its outcome recorded already: not reported again); an entry without an outcome
   * names a failed job to look at.
   * @returns the results this call recorded
   */
  async #take(
    taken: readonly { entry: string; recorded: boolean }[],
  ): Promise<FanOutResult<R, undefined>[]> {
    const out: FanOutResult<R, undefined>[] = [];
    const jobs: number[] = [];
    for (const { entry, recorded } of taken) {
      const { i, ...wire } = JSON.parse(entry) as Partial<WireResult> & { i: number };
      if (!this.#pending.has(i)) continue;
      if (wire.s === undefined) {
        jobs.push(i);
        continue;
      }
      this.#pending.delete(i);
      if (recorded) {
        this.#collectedHere?.add(i);
        out.push(this.#result(wire as WireResult));
      }
    }
    if (jobs.length > 0) out.push(...(await this.#collect(jobs)));
    return out;
  }

  /** Jobs that Redis no longer has, and no outcome: cancelled, or lost with Redis's data. */
  async #lost(indices: number[]): Promise<void> {
    const meta = await readMeta(this.#redis, this.#k.run(this.id));
    if (meta === undefined && this.#resubmit === undefined) throw new RunNotFoundError(this.id);
    if (meta?.state === 'cancelled' || this.#stopped !== undefined) {
      // The region (and an organisation's member) of a target this producer planned, known here.
      const skipped = (i: number): WireResult => {
        const t = this.#resubmit?.targets(i);
        return {
          s: 'skipped',
          d: 0,
          ...(t?.account === undefined ? {} : { a: t.account }),
          ...(t === undefined ? {} : { r: t.region }),
          c: 'aborted',
          n: 'FanOutStoppedError',
          m: 'the run was cancelled before this target started',
        };
      };
      const record = this.#redis.pipeline();
      for (const i of indices) {
        record.hsetnx(this.#k.done(this.id), String(i), JSON.stringify(skipped(i)));
      }
      const answers = (await record.exec()) ?? [];
      indices.forEach((i, n) => {
        this.#pending.delete(i);
        if (answers[n]?.[1] === 1) {
          this.#collectedHere?.add(i);
          this.#ready.push(this.#result(skipped(i)));
        }
      });
      return;
    }
    // Lost with Redis's data (a restart without persistence): submit those targets again.
    // A resumed producer has no plan in memory: it reports such a target failed instead.
    const again = this.#resubmit ?? {
      attempts: 1,
      backoff: 1000,
      targets: (_i: number) => undefined,
    };
    await this.#add(indices, again.attempts, again.backoff, again.targets);
  }

  async #add(
    indices: number[],
    attempts: number,
    backoff: number,
    targetOf: (i: number) => TargetRef | undefined,
  ): Promise<void> {
    const planned: number[] = [];
    for (const i of indices) {
      const t = targetOf(i);
      if (t !== undefined) {
        planned.push(i);
        continue;
      }
      // A target known without a job whose outcome Redis lost: this producer knows it still.
      const known = this.#resubmit?.known?.(i);
      const wire: WireResult =
        known !== undefined
          ? { d: 0, ...known }
          : {
              s: 'failed',
              d: 0,
              c: 'other',
              n: 'RemoteTaskError',
              m: 'the job of this target was lost from Redis (a restart without persistence?) and this producer, resumed, cannot submit it again; run the command again for it',
            };
      const set = await this.#redis.hsetnx(this.#k.done(this.id), String(i), JSON.stringify(wire));
      this.#pending.delete(i);
      if (set === 1) {
        this.#collectedHere?.add(i);
        this.#ready.push(this.#result(wire));
      }
    }
    // Each job again with its targets still pending, under its id.
    const jobs = [...this.#jobsOf(planned)].map(([start, group]) =>
      jobFor(this.#meta, start, group, (i) => targetOf(i) as TargetRef, attempts, backoff),
    );
    // The run's record may have been lost too: write it back first.
    if (jobs.length > 0) {
      await writeMeta(this.#redis, this.#k.run(this.id), this.#meta);
      await this.#redis.zadd(this.#k.runs, this.#meta.created, this.id);
      if (this.#layout.planned > 0) {
        await this.#redis.set(this.#k.jobs(this.id), this.#layout.encode(), 'EX', this.#meta.ttl);
      }
      await this.#bull.addBulk(jobs);
    }
  }

  #ready: FanOutResult<R, undefined>[] = [];

  async *#read(): AsyncGenerator<FanOutResult<R, undefined>, void, undefined> {
    const interval = this.#options.reconcileInterval ?? 2000;
    // First, what finished while nobody followed the run (a resumed producer).
    let reconcileNow = true;
    while (this.#pending.size > 0 || this.#ready.length > 0) {
      if (this.#closed) return;
      // A count that fails keeps the last one: it never stops the collection.
      await this.#refreshRunning(RUNNING_REFRESH_MS).catch(() => undefined);
      let batch: FanOutResult<R, undefined>[] = [];
      if (reconcileNow || this.#reconcileSoon) {
        reconcileNow = false;
        this.#reconcileSoon = false;
        batch.push(...(await this.#drain()));
        for (const chunk of chunks([...this.#pending], BATCH)) {
          batch.push(...(await this.#collect(chunk)));
        }
      } else {
        let taken = await this.#takeOutcomes();
        if (taken.length === 0) {
          // Wait for an entry without taking it (moved from the head to the tail of the same
          // list): only the atomic pop-and-record above takes entries, so none is ever lost.
          let waited: string | null;
          try {
            waited = await this.#blocking.blmove(
              this.#k.ready(this.id),
              this.#k.ready(this.id),
              'LEFT',
              'RIGHT',
              interval / 1000,
            );
          } catch (error) {
            if (this.#closed) return;
            throw error;
          }
          if (waited === null) reconcileNow = true;
          else taken = await this.#takeOutcomes();
        }
        if (taken.length > 0) batch = await this.#take(taken);
      }
      batch.unshift(...this.#ready.splice(0));
      for (const result of batch) {
        this.#count(result);
        if (result.status === 'failed' && this.#counts.failed > this.#allowedFailures) {
          await this.#stop(this.#options.failFast === true ? 'fail-fast' : 'tolerance');
        }
        yield result;
      }
    }
    this.#ended = performance.now();
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    // A run cancelled by anyone stays `cancelled`; else it is `finished` now.
    const state = await this.#redis.hget(this.#k.run(this.id), 'state');
    await this.#redis
      .multi()
      .hset(
        this.#k.run(this.id),
        'state',
        this.#stopped === undefined && state !== 'cancelled' ? 'finished' : 'cancelled',
      )
      .expire(this.#k.run(this.id), this.#meta.ttl)
      .expire(this.#k.done(this.id), this.#meta.ttl)
      .expire(this.#k.out(this.id), this.#meta.ttl)
      .expire(this.#k.jobs(this.id), this.#meta.ttl)
      .del(this.#k.ready(this.id))
      .del(this.#k.running(this.id))
      .exec();
  }

  results(): AsyncIterableIterator<FanOutResult<R, undefined>> {
    if (this.#reading)
      throw new QueueUsageError(`run ${this.id}: its results are already being read`);
    this.#reading = true;
    const inner = this.#read();
    const done = (): void => {
      this.#reading = false;
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        try {
          const r = await inner.next();
          if (r.done === true) done();
          return r;
        } catch (error) {
          done();
          throw error;
        }
      },
      async return() {
        done();
        await inner.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  async report(): Promise<FanOutReport<R, undefined>> {
    const mine: FanOutResult<R, undefined>[] = [];
    const here = new Set<number>();
    this.#collectedHere = here;
    try {
      for await (const result of this.results()) mine.push(result);
    } finally {
      this.#collectedHere = undefined;
    }
    // The targets an earlier producer collected, from their records (values went to it).
    const earlier: FanOutResult<R, undefined>[] = [];
    const all = await this.#redis.hgetall(this.#k.done(this.id));
    const counts = { completed: 0, succeeded: 0, failed: 0, skipped: 0 };
    const byClass: Partial<Record<ErrorClass, number>> = {};
    for (const [index, json] of Object.entries(all)) {
      if (here.has(Number(index))) continue;
      earlier.push(this.#result(JSON.parse(json) as Compact));
    }
    const results = [...earlier, ...mine];
    for (const r of results) {
      counts.completed += 1;
      counts[r.status] += 1;
      if (!r.ok) byClass[r.errorClass] = (byClass[r.errorClass] ?? 0) + 1;
    }
    return new FanOutReport<R, undefined>(results, {
      ...this.summary,
      ...counts,
      byClass,
    });
  }

  /** While `report()` reads: the targets it collected itself (the others come from their records). */
  #collectedHere: Set<number> | undefined;

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#unlink?.();
    await this.#bull.close().catch(() => undefined);
    this.#blocking.disconnect();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/** A job of some targets of one entry (and member), named by the first index of its group. */
function jobFor(
  meta: RunMeta,
  start: number,
  indices: readonly number[],
  targetOf: (i: number) => TargetRef,
  attempts: number,
  backoff: number,
): { name: string; data: JobData; opts: JobsOptions } {
  const first = targetOf(indices[0] as number);
  return {
    name: meta.task,
    data: {
      run: meta.id,
      e: first.entry,
      ...(first.account === undefined ? {} : { a: first.account }),
      t: [...indices],
      r: indices.map((i) => targetOf(i).region),
    },
    opts: {
      attempts,
      backoff: { type: 'exponential', delay: backoff },
      removeOnComplete: true, // its targets' outcomes are in the run's list
      removeOnFail: { age: meta.ttl },
      stackTraceLimit: 0,
      jobId: jobId(meta.id, start),
    },
  };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

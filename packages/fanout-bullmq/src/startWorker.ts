/**
 * A worker: takes jobs from the queue (one account's targets each), builds the account's
 * RegionalAccounts from its own configuration and environment, runs the task on each target in
 * one of its slots, and records each target's outcome as it finishes.
 */

import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { DelayedError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { RegionalAccountsConfig } from '@cs/config';
import { classifyError, FanOutStoppedError } from '@cs/regional';
import type { RegionalAccounts, ServiceModuleLoader } from '@cs/regional';
import { taskNamed, taskRegistry } from './defineTask';
import type { Task, TaskRegistry } from './defineTask';
import { QueueUsageError } from './errors';
import { checkIdentity, loadQueueConfig } from './internal/plan';
import type { QueueConfig } from './internal/plan';
import { DEFAULT_QUEUE, keys } from './internal/protocol';
import type { JobData, WireResult } from './internal/protocol';
import { openConnections } from './worker/connections';
import { createContainers } from './worker/containers';
import { createMembers } from './worker/members';
import { createRunMetaCache } from './worker/runMeta';
import { createSections } from './worker/sections';
import { messageOf, nameOf, runTarget, skipped } from './worker/outcome';
import { Slots } from './worker/slots';

/**
 * Options of {@link startWorker}.
 *
 * @public
 */
export interface WorkerOptions {
  /** The Redis of the queue: `redis://host:6379` (also where the rate limits keep their state). */
  readonly connection: string;
  /** This worker's configuration: a file, or `{ document, file }`. */
  readonly config: QueueConfig;
  /** The tasks it knows besides the built-in ones (`call`, `paginate`, `whoami`). */
  readonly tasks?: Iterable<Task> | TaskRegistry;
  /**
   * How many targets it runs at once, across its jobs. A job holds the targets of one account
   * (up to 32 of its regions by default); the worker holds up to `concurrency` jobs, whose
   * targets take its `concurrency` slots in turn (a target waiting for a slot has not started).
   * @defaultValue 16
   */
  readonly concurrency?: number;
  /**
   * The queue's name.
   * @defaultValue `'cs-aws'`
   */
  readonly queue?: string;
  /**
   * How the RegionalAccounts load `@aws-sdk/client-<service>` (see `BuildOptions` of `@cs/config`).
   * @defaultValue the runtime's `import()` from `@cs/regional`'s location
   */
  readonly loadServiceModule?: ServiceModuleLoader;
  /**
   * How long a job's lock lasts without renewal (ms): a worker that dies holds its jobs this long
   * at most before the stall check gives them to another worker.
   * @defaultValue 30000
   */
  readonly lockDuration?: number;
  /**
   * How often the stall check runs (ms).
   * @defaultValue 30000
   */
  readonly stalledInterval?: number;
  /**
   * How many times a job may be taken over after its worker died before it fails.
   * @defaultValue 5
   */
  readonly maxStalledCount?: number;
}

/**
 * A running worker.
 *
 * @public
 */
export interface FanOutWorker {
  /** A random id for logs. */
  readonly id: string;
  /** How many targets it runs now. */
  readonly running: number;
  /** How many jobs it finished (any outcome); a job holds one account's targets. */
  readonly processed: number;
  /**
   * Stops taking jobs, lets the running targets finish and puts the jobs it holds back in the
   * queue for their targets not started (or, with `force`, aborts the running ones: their jobs
   * are taken over by another worker after the stall check), closes its connections and the
   * stores of the limits it built.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

const DEFAULT_CONCURRENCY = 16;

/**
 * A job's targets: its indices and regions; a job queued by an earlier version, with one target
 * (`i`, `r` a region), as a job of that one target.
 */
const targetsOf = (
  data: JobData | { i?: unknown; r?: unknown },
): { t: readonly number[]; r: readonly string[] } => {
  if ('t' in data && Array.isArray(data.t) && Array.isArray(data.r)) return data;
  const { i, r } = data as { i?: unknown; r?: unknown };
  return typeof i === 'number' && typeof r === 'string' ? { t: [i], r: [r] } : { t: [], r: [] };
};

/**
 * Starts a worker on the queue at `connection`: it takes jobs of any run whose configuration
 * section matches its own (same section, same digest; another is refused with a
 * `ConfigurationMismatchError`), builds the target's RegionalAccount through the caching builders
 * of `@cs/config` with every rate limit kept in Redis (so that the window holds across workers),
 * and runs the job's task. Start as many as you like, on any machine.
 *
 * @param options - connection, config, tasks, concurrency, queue and stall settings
 * @returns the worker; `await worker.close()` ends it
 * @throws {@link QueueUsageError} for a bad option; `ConfigError` of `@cs/config` for a bad file
 * @example
 * ```ts
 * const worker = await startWorker({ connection: 'redis://127.0.0.1:6379', config: 'cs-aws.yaml', concurrency: 16 });
 * process.once('SIGTERM', () => void worker.close());
 * ```
 * @public
 */
export async function startWorker(options: WorkerOptions): Promise<FanOutWorker> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000) {
    throw new QueueUsageError(
      `concurrency must be a whole number from 1 to 10000, got ${concurrency}`,
    );
  }
  const url = options.connection;
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    throw new QueueUsageError(
      'connection: expected a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
    );
  }
  const queue = options.queue ?? DEFAULT_QUEUE;
  const k = keys(queue);
  const registry = taskRegistry(options.tasks ?? []);
  const config = await loadQueueConfig(options.config);
  const id = randomBytes(4).toString('hex');

  const connections = openConnections(url);
  const { redis, subscriber, records, notify, scripts } = connections;
  const sectionFor = createSections(config, url);
  const containerFor = createContainers({
    config,
    memberOf: createMembers(options.loadServiceModule),
    rateLimitRedis: connections.rateLimitRedis,
    loadServiceModule: options.loadServiceModule,
  });
  const metas = createRunMetaCache(redis, k);

  /** The running jobs' controllers, by run, for cancellation. */
  const active = new Map<string, Set<AbortController>>();
  const stopping = new AbortController();
  setMaxListeners(concurrency + 10, stopping.signal);

  await subscriber.subscribe(k.cancel);
  subscriber.on('message', (_channel: string, run: string) => {
    metas.forget(run);
    for (const controller of active.get(run) ?? []) {
      controller.abort(new FanOutStoppedError('aborted', 'the run was cancelled'));
    }
  });

  let processed = 0;
  const slots = new Slots(concurrency);
  /** Stopping gracefully: the targets of held jobs that have not started go back to the queue. */
  let handingBack = false;
  /**
   * Runs a job: the targets of one account (entry and member) in some of its regions. The
   * account's container is built once; each target takes one of the worker's `concurrency`
   * slots, and its outcome goes to its run's list as it finishes (RECORD_SCRIPT: once per target,
   * whoever runs it), BEFORE the job completes (the job is then removed by BullMQ). A job taken
   * over from a dead worker, or retried, runs only the targets whose outcome was not pushed yet. A
   * target that fails with a retryable class is not recorded: once the others are, the job fails
   * with its error and BullMQ retries the job (after its backoff) for the unrecorded targets only.
   * A job whose run expired pushes nothing.
   */
  const processor = async (job: Job<JobData, number>): Promise<number> => {
    const { run, e: entry, a: accountId } = job.data;
    const { t: indices, r: regions } = targetsOf(job.data);
    const meta = await metas.metaOf(run);
    if (meta === undefined) return 1;
    const start = (job.id ?? '').slice(run.length + 1);
    const pushed = await scripts.csJobStart(k.out(run), k.running(run), ...indices.map(String));
    const todo: { i: number; region: string }[] = [];
    indices.forEach((i, n) => {
      if (Number(pushed[n]) !== 1) todo.push({ i, region: regions[n] ?? '' });
    });
    if (todo.length === 0) return 1;
    const record = (i: number, outcome: WireResult): Promise<unknown> =>
      scripts.csRecord(
        k.run(run),
        k.ready(run),
        k.out(run),
        k.running(run),
        String(i),
        JSON.stringify({ i, ...outcome }),
      );
    const canRetry = job.attemptsMade + 1 < meta.attempts;
    if (meta.state === 'cancelled') {
      await Promise.all(
        todo.map((t) =>
          record(t.i, skipped(t.region, 'the run was cancelled before this target started')),
        ),
      );
      return 1;
    }
    let task: Task;
    let container: RegionalAccounts;
    try {
      task = taskNamed(registry, meta.task, `worker ${id}`);
      const section = sectionFor(meta);
      checkIdentity(meta, { file: config.file, digest: section.digest });
      container = await containerFor(
        meta,
        (section as { entries: RegionalAccountsConfig[] }).entries,
        entry,
        accountId,
      );
    } catch (error) {
      const { errorClass, code } = classifyError(error);
      // Listing an organisation or discovering regions met a throttled or lost call: try again.
      if ((errorClass === 'throttled' || errorClass === 'network') && canRetry) {
        throw new Error(`${nameOf(error)}: ${messageOf(error)}`, { cause: error });
      }
      // Nothing can run here: the targets fail at once, with what to do.
      await Promise.all(
        todo.map((t) =>
          record(t.i, {
            s: 'failed',
            ...(accountId === undefined ? {} : { a: accountId }),
            r: t.region,
            d: 0,
            c: errorClass,
            ...(code === undefined ? {} : { k: code }),
            n: nameOf(error),
            m: messageOf(error),
          }),
        ),
      );
      return 1;
    }
    // The job's targets stop together: a cancel of the run, or the worker stopped with `force`.
    const jobController = new AbortController();
    setMaxListeners(2 * indices.length + 10, jobController.signal);
    const onStop = (): void => jobController.abort(stopping.signal.reason);
    if (stopping.signal.aborted) onStop();
    else stopping.signal.addEventListener('abort', onStop, { once: true });
    let set = active.get(run);
    if (set === undefined) active.set(run, (set = new Set()));
    set.add(jobController);
    let retry: Error | undefined;
    let left = false;
    try {
      await Promise.all(
        todo.map(async ({ i, region }) => {
          const slot = await slots.acquire(jobController.signal);
          let outcome: WireResult | Error;
          try {
            if (stopping.signal.aborted || handingBack) {
              // Stopped: not started here, left for another worker.
              left = true;
              return;
            }
            if (!slot || jobController.signal.aborted) {
              outcome = skipped(region, 'the run was cancelled before this target started');
            } else {
              const ra = container.get(region);
              if (ra === undefined) {
                outcome = {
                  s: 'failed',
                  ...(accountId === undefined ? {} : { a: accountId }),
                  r: region,
                  d: 0,
                  c: 'other',
                  n: 'Error',
                  m: `${meta.section}[${entry}]${accountId === undefined ? '' : ` (account ${accountId})`} has no region ${region} in this worker's configuration${accountId === undefined ? '' : ' and view'}`,
                };
              } else {
                void scripts
                  .csMark(k.run(run), k.running(run), String(i), start)
                  .catch(() => undefined);
                outcome = await runTarget(meta, task, ra, region, jobController.signal, canRetry);
              }
            }
          } finally {
            if (slot) slots.release();
          }
          if (stopping.signal.aborted && (outcome instanceof Error || outcome.s === 'skipped')) {
            left = true;
            return;
          }
          if (outcome instanceof Error) {
            retry ??= outcome;
            await records.hdel(k.running(run), String(i));
            return;
          }
          await record(i, outcome);
        }),
      );
    } finally {
      stopping.signal.removeEventListener('abort', onStop);
      set.delete(jobController);
      if (set.size === 0) active.delete(run);
    }
    if (retry !== undefined) throw retry;
    if (left) {
      if (!stopping.signal.aborted && job.token !== undefined) {
        // Stopped gracefully: the job goes back to the queue at once (no attempt counted), and
        // the worker that takes it runs its targets not started here.
        await job.moveToDelayed(Date.now(), job.token);
        throw new DelayedError();
      }
      // Stopped with `force`: the job is taken over after the stall check.
      throw new FanOutStoppedError('aborted', 'the worker was stopped');
    }
    return 1;
  };

  const worker = new Worker<JobData, number>(queue, processor, {
    connection: redis,
    // A job holds one account's targets; they share the worker's `concurrency` slots.
    concurrency,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    autorun: true,
  });
  worker.on('error', () => undefined);
  worker.on('completed', () => {
    processed += 1;
  });
  worker.on('failed', (job) => {
    // Only a final failure (stalled too often) finishes the job: ask the producer to look at it.
    if (job === undefined || job.finishedOn === undefined) return;
    processed += 1;
    const { run } = job.data;
    for (const i of targetsOf(job.data).t) {
      void notify.csNotify(k.run(run), k.ready(run), JSON.stringify({ i })).catch(() => undefined);
    }
  });
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    id,
    get running() {
      return slots.used;
    },
    get processed() {
      return processed;
    },
    close({ force = false } = {}) {
      closing ??= (async () => {
        if (force) stopping.abort(new FanOutStoppedError('aborted', 'the worker was stopped'));
        else handingBack = true;
        await worker.close(force);
        await connections.close();
      })();
      return closing;
    },
  };
}

/**
 * A worker: takes jobs from the queue (one account's targets each), builds the account's
 * RegionalAccounts from its own configuration and environment, runs the task on each target in
 * one of its slots, and records each target's outcome as it finishes.
 */

import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Worker } from 'bullmq';
import { FanOutStoppedError } from '@cs/regional';
import type { ServiceModuleLoader } from '@cs/regional';
import { taskRegistry } from './defineTask';
import type { Task, TaskRegistry } from './defineTask';
import { QueueUsageError } from './errors';
import { loadQueueConfig } from './internal/plan';
import type { QueueConfig } from './internal/plan';
import { DEFAULT_QUEUE, keys } from './internal/protocol';
import type { JobData } from './internal/protocol';
import { openConnections } from './worker/connections';
import { createContainers } from './worker/containers';
import { createMembers } from './worker/members';
import { createJobRunner, targetsOf } from './worker/runJob';
import { createRunMetaCache } from './worker/runMeta';
import { createSections } from './worker/sections';
import { Slots } from './worker/slots';
import { reachRedis } from './internal/reach';

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

/** The worker's concurrency and Redis URL, checked. */
function checkedOptions(options: WorkerOptions): { concurrency: number; url: string } {
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
  return { concurrency, url };
}

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
  const { concurrency, url } = checkedOptions(options);
  await reachRedis(url);
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

  const stopping = new AbortController();
  setMaxListeners(concurrency + 10, stopping.signal);
  const slots = new Slots(concurrency);
  /** Stopping gracefully: the targets of held jobs that have not started go back to the queue. */
  let handingBack = false;
  const jobs = createJobRunner({
    id,
    registry,
    config,
    k,
    metas,
    sectionFor,
    containerFor,
    records,
    scripts,
    slots,
    stopping: stopping.signal,
    handingBack: () => handingBack,
  });

  await subscriber.subscribe(k.cancel);
  subscriber.on('message', (_channel: string, run: string) => {
    metas.forget(run);
    jobs.cancel(run);
  });

  let processed = 0;
  const worker = new Worker<JobData, number>(queue, (job) => jobs.process(job), {
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

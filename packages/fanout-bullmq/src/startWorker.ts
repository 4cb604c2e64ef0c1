/**
 * A worker: takes jobs from the queue (one account's targets each), builds the account's
 * RegionalAccounts from its own configuration and environment, runs the task on each target in
 * one of its slots, and records each target's outcome as it finishes.
 */

import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { DelayedError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { buildRegionalAccounts, closeConfiguredStores } from '@cs/config';
import { createRedisRateLimitStore, RedisRateLimitStore } from '@cs/ratelimit-redis';
import type { RedisStoreSpec } from '@cs/ratelimit-redis';
import type { RegionalAccountsConfig } from '@cs/config';
import { classifyError, FanOutStoppedError } from '@cs/regional';
import type { OrganizationMember, RegionalAccounts, ServiceModuleLoader } from '@cs/regional';
import { taskNamed, taskRegistry } from './defineTask';
import type { Task, TaskRegistry } from './defineTask';
import { ConfigurationMismatchError, QueueUsageError } from './errors';
import { listMembers, memberEntry } from './internal/expand';
import {
  appsOf,
  checkIdentity,
  digestOf,
  loadQueueConfig,
  sectionOf,
  sectionPath,
  withMemberLimits,
  withRedisLimits,
} from './internal/plan';
import type { LoadedQueueConfig, QueueConfig } from './internal/plan';
import {
  DEFAULT_QUEUE,
  JOB_START_SCRIPT,
  keys,
  MARK_SCRIPT,
  NOTIFY_SCRIPT,
  readMeta,
  RECORD_SCRIPT,
} from './internal/protocol';
import type { JobData, RunMeta, WireResult } from './internal/protocol';
import { setIdentity } from './worker/identity';
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
const META_CACHE_MS = 2_000;
const META_CACHE_SIZE = 256;
/** How long a worker trusts its listing of an organisation before it lists it again for a member it does not find (ms). */
const MEMBERS_FRESH_MS = 5_000;

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

  /** Sections by app, checked and given their Redis limits once. */
  const sections = new Map<
    string,
    { digest: string; entries: RegionalAccountsConfig[] } | { digest: undefined }
  >();
  const sectionFor = (meta: Pick<RunMeta, 'section' | 'app'>) => {
    let found = sections.get(meta.section);
    if (found === undefined) {
      let section;
      try {
        section = sectionOf(config, meta.app);
      } catch {
        section = undefined;
      }
      if (section === undefined) found = { digest: undefined };
      else {
        const digest = digestOf(section);
        found = {
          digest,
          entries: withRedisLimits(section, url, digest).map((e) => e.RegionalAccounts),
        };
      }
      sections.set(meta.section, found);
    }
    return found;
  };
  /** The members of each organisation entry, as this worker lists them (its own view). */
  const memberLists = new Map<string, { at: number; list: Promise<OrganizationMember[]> }>();
  const memberOf = async (
    key: string,
    section: RegionalAccountsConfig,
    accountId: string,
  ): Promise<OrganizationMember> => {
    let cached = memberLists.get(key);
    for (let attempt = 0; ; attempt += 1) {
      if (cached === undefined) {
        const list = listMembers(section, { loadServiceModule: options.loadServiceModule });
        cached = { at: performance.now(), list };
        memberLists.set(key, cached);
        list.catch(() => memberLists.delete(key));
      }
      const found = (await cached.list).find((m) => m.id === accountId);
      if (found?.accountSpec !== undefined) return found;
      // Listed a while ago: the organisation may have changed since; list it once more.
      if (attempt === 0 && performance.now() - cached.at > MEMBERS_FRESH_MS) {
        memberLists.delete(key);
        cached = undefined;
        continue;
      }
      throw new ConfigurationMismatchError(
        found === undefined
          ? `${key}: account ${accountId}, which the run names, is not a member of the organisation as this worker lists it (through its own configuration and credentials); start the worker with the producer's configuration and environment, or submit the run again`
          : `${key}: account ${accountId}, which the run names, is ${found.status.toLowerCase()} in the organisation as this worker lists it, not active: submit the run again`,
      );
    }
  };
  // Every section of the configuration checked and given its limits now, not at a run's first
  // job: the digest reads the whole section (O(entries)), once per worker rather than in a run.
  for (const app of appsOf(config.document)) sectionFor({ section: sectionPath(app), app });
  /** Containers by entry (and member), built once, their regions discovered once. */
  const containers = new Map<string, Promise<RegionalAccounts>>();
  const containerFor = (
    loaded: LoadedQueueConfig,
    meta: RunMeta,
    entries: RegionalAccountsConfig[],
    entry: number,
    accountId: string | undefined,
  ): Promise<RegionalAccounts> => {
    const path = `${meta.section}[${entry}]`;
    const key = accountId === undefined ? path : `${path}:${accountId}`;
    let container = containers.get(key);
    if (container === undefined) {
      container = (async () => {
        let section = entries[entry];
        if (section === undefined) {
          throw new Error(`${meta.section} has no entry ${entry} in this worker's configuration`);
        }
        let member: OrganizationMember | undefined;
        if (section.Organization !== undefined) {
          if (accountId === undefined) {
            throw new ConfigurationMismatchError(
              `${path} takes its accounts from an organisation in this worker's configuration, but the job names no member account; start the worker with the producer's configuration`,
            );
          }
          member = await memberOf(path, section, accountId);
          section = withMemberLimits(memberEntry(section, member), member.id);
        } else if (accountId !== undefined) {
          throw new ConfigurationMismatchError(
            `${path} has a fixed account in this worker's configuration, but the job names the organisation member ${accountId}; start the worker with the producer's configuration`,
          );
        }
        const built = buildRegionalAccounts(section, {
          source: loaded.file,
          path: `${path}.RegionalAccounts`,
          loadRateLimitRedis: () => rateLimitRedis,
          ...(options.loadServiceModule === undefined
            ? {}
            : { loadServiceModule: options.loadServiceModule }),
        });
        if (member !== undefined) {
          // A member's identity is its listing's, as in-process (its name as its alias).
          const identity = { accountId: member.id, alias: member.name ?? member.id };
          setIdentity(built.account(), identity);
        }
        if (built.Filter.Discover === true) await built.discover();
        return built;
      })();
      containers.set(key, container);
      container.catch(() => containers.delete(key));
    }
    return container;
  };

  const metas = new Map<string, { at: number; meta: Promise<RunMeta | undefined> }>();
  const metaOf = (run: string): Promise<RunMeta | undefined> => {
    const cached = metas.get(run);
    if (cached !== undefined && performance.now() - cached.at < META_CACHE_MS) return cached.meta;
    if (metas.size >= META_CACHE_SIZE) metas.delete(metas.keys().next().value as string);
    const meta = readMeta(redis, k.run(run));
    metas.set(run, { at: performance.now(), meta });
    meta.catch(() => metas.delete(run));
    return meta;
  };

  /** The running jobs' controllers, by run, for cancellation. */
  const active = new Map<string, Set<AbortController>>();
  const stopping = new AbortController();
  setMaxListeners(concurrency + 10, stopping.signal);

  await subscriber.subscribe(k.cancel);
  subscriber.on('message', (_channel: string, run: string) => {
    metas.delete(run);
    for (const controller of active.get(run) ?? []) {
      controller.abort(new FanOutStoppedError('aborted', 'the run was cancelled'));
    }
  });

  let processed = 0;
  const slots = new Slots(concurrency);
  /** Stopping gracefully: the targets of held jobs that have not started go back to the queue. */
  let handingBack = false;
  // The targets' records (running, outcome) on a pipelined connection of their own: the commands
  // of a tick leave in one write, not in one system call each.
  const records = new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  records.on('error', () => undefined);
  records.defineCommand('csRecord', { numberOfKeys: 4, lua: RECORD_SCRIPT });
  records.defineCommand('csMark', { numberOfKeys: 2, lua: MARK_SCRIPT });
  records.defineCommand('csJobStart', { numberOfKeys: 2, lua: JOB_START_SCRIPT });
  const notify = redis as unknown as {
    csNotify(run: string, ready: string, entry: string): Promise<unknown>;
  };
  const scripts = records as unknown as {
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
  };

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
    const meta = await metaOf(run);
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
        config,
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
        await subscriber.quit().catch(() => subscriber.disconnect());
        await redis.quit().catch(() => redis.disconnect());
        await records.quit().catch(() => records.disconnect());
        await closeConfiguredStores();
        await limits.quit().catch(() => limits.disconnect());
      })();
      return closing;
    },
  };
}

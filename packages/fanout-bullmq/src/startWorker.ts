/**
 * A worker: takes jobs from the queue, builds each target's RegionalAccount from its own
 * configuration and environment, runs the job's task on it, and returns the outcome.
 */

import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { buildRegionalAccounts, closeConfiguredStores } from '@cs/config';
import { createRedisRateLimitStore, RedisRateLimitStore } from '@cs/ratelimit-redis';
import type { RedisStoreSpec } from '@cs/ratelimit-redis';
import type { RegionalAccountsConfig } from '@cs/config';
import { classifyError, FanOutStoppedError } from '@cs/regional';
import type {
  OrganizationMember,
  RegionalAccount,
  RegionalAccounts,
  ServiceModuleLoader,
} from '@cs/regional';
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
import { DEFAULT_QUEUE, keys, NOTIFY_SCRIPT, readMeta } from './internal/protocol';
import type { JobData, RunMeta, WireResult } from './internal/protocol';

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
   * How many targets it runs at once.
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
  /** How many jobs it finished (any outcome). */
  readonly processed: number;
  /**
   * Stops taking jobs, lets the running ones finish (or, with `force`, aborts them: their jobs are
   * taken over by another worker after the stall check), closes its connections and the stores of
   * the limits it built.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

const DEFAULT_CONCURRENCY = 16;
const META_CACHE_MS = 2_000;
const META_CACHE_SIZE = 256;
/** How long a worker trusts its listing of an organisation before it lists it again for a member it does not find (ms). */
const MEMBERS_FRESH_MS = 5_000;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const nameOf = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? 'Error' : typeof error;

/** Whether the rate-limit store could not decide (Redis slow or away): worth another try. */
const storeFailed = (error: unknown): boolean => {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    if (e.name === 'RateLimitStoreError') return true;
  }
  return false;
};

/** Account id and alias once per account object, as the in-process fan-out reads them. */
const identities = new WeakMap<object, Promise<{ accountId: string; alias: string }>>();
const ids = new WeakMap<object, Promise<string>>();

async function identify(
  ra: RegionalAccount,
  aliases: boolean,
): Promise<{ accountId: string; alias: string | undefined }> {
  const account = ra.account();
  let id = ids.get(account);
  if (id === undefined) {
    id = account.accountId();
    ids.set(account, id);
    id.catch(() => ids.delete(account));
  }
  if (!aliases) return { accountId: await id, alias: undefined };
  let both = identities.get(account);
  if (both === undefined) {
    const alias = account.alias().then(
      (a) => a,
      () => undefined,
    );
    both = id.then(async (accountId) => ({ accountId, alias: (await alias) ?? accountId }));
    identities.set(account, both);
    both.catch(() => identities.delete(account));
  }
  return both;
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
          ids.set(built.account(), Promise.resolve(identity.accountId));
          identities.set(built.account(), Promise.resolve(identity));
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
  const outcomeOf = async (job: Job<JobData, WireResult>): Promise<WireResult> => {
    const { run, e: entry, r: region, a: accountId } = job.data;
    const meta = await metaOf(run);
    if (meta === undefined) return { s: 'skipped', d: 0, x: 1 };
    const skipped = (message: string): WireResult => ({
      s: 'skipped',
      d: 0,
      r: region,
      c: 'aborted',
      n: 'FanOutStoppedError',
      m: message,
    });
    if (meta.state === 'cancelled')
      return skipped('the run was cancelled before this target started');
    let task: Task;
    let ra: RegionalAccount | undefined;
    try {
      task = taskNamed(registry, meta.task, `worker ${id}`);
      const section = sectionFor(meta);
      checkIdentity(meta, { file: config.file, digest: section.digest });
      ra = (
        await containerFor(
          config,
          meta,
          (section as { entries: RegionalAccountsConfig[] }).entries,
          entry,
          accountId,
        )
      ).get(region);
      if (ra === undefined) {
        throw new Error(
          `${meta.section}[${entry}]${accountId === undefined ? '' : ` (account ${accountId})`} has no region ${region} in this worker's configuration${accountId === undefined ? '' : ' and view'}`,
        );
      }
    } catch (error) {
      const { errorClass, code } = classifyError(error);
      // Listing an organisation or discovering regions met a throttled or lost call: try again.
      if (
        (errorClass === 'throttled' || errorClass === 'network') &&
        job.attemptsMade + 1 < meta.attempts
      ) {
        throw new Error(`${nameOf(error)}: ${messageOf(error)}`, { cause: error });
      }
      // Nothing can run here: the target fails at once, with what to do.
      return {
        s: 'failed',
        ...(accountId === undefined ? {} : { a: accountId }),
        r: region,
        d: 0,
        c: errorClass,
        ...(code === undefined ? {} : { k: code }),
        n: nameOf(error),
        m: messageOf(error),
      };
    }
    const controller = new AbortController();
    const onStop = (): void => controller.abort(stopping.signal.reason);
    stopping.signal.addEventListener('abort', onStop, { once: true });
    let set = active.get(run);
    if (set === undefined) active.set(run, (set = new Set()));
    set.add(controller);
    const timer =
      meta.timeout === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                new DOMException(
                  `the target did not finish within ${meta.timeout} ms`,
                  'TimeoutError',
                ),
              ),
            meta.timeout,
          );
    const started = performance.now();
    let identity: { accountId?: string; alias?: string | undefined } = {};
    try {
      identity = await identify(ra, meta.aliases);
      if (controller.signal.aborted) throw controller.signal.reason;
      const work = Promise.resolve(task.fn(ra, meta.input, { signal: controller.signal }));
      const value = await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          if (controller.signal.aborted) reject(controller.signal.reason as Error);
          controller.signal.addEventListener(
            'abort',
            () => reject(controller.signal.reason as Error),
            {
              once: true,
            },
          );
        }),
      ]);
      work.catch(() => undefined);
      return {
        s: 'succeeded',
        v: value === undefined ? null : value,
        a: identity.accountId,
        l: identity.alias,
        r: region,
        d: performance.now() - started,
      };
    } catch (error) {
      const d = performance.now() - started;
      const cancelled =
        controller.signal.aborted &&
        (controller.signal.reason as Error | undefined)?.name === 'FanOutStoppedError';
      if (cancelled)
        return {
          ...skipped('the run was cancelled while this target ran'),
          a: identity.accountId,
          l: identity.alias,
          d,
        };
      const { errorClass, code } = classifyError(error);
      const retryable =
        (errorClass === 'throttled' || errorClass === 'network' || storeFailed(error)) &&
        !controller.signal.aborted &&
        job.attemptsMade + 1 < meta.attempts;
      // BullMQ keeps the message only (stack traces are off): the retry may run on another worker.
      if (retryable) throw new Error(`${nameOf(error)}: ${messageOf(error)}`, { cause: error });
      return {
        s: 'failed',
        a: identity.accountId,
        l: identity.alias,
        r: region,
        d,
        c: errorClass,
        ...(code === undefined ? {} : { k: code }),
        n: nameOf(error),
        m: messageOf(error),
      };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      stopping.signal.removeEventListener('abort', onStop);
      set.delete(controller);
      if (set.size === 0) active.delete(run);
    }
  };

  const push = redis as unknown as {
    csNotify(run: string, ready: string, entry: string): Promise<unknown>;
  };
  /**
   * Runs a job and puts its outcome in its run's list BEFORE the job completes (the job is then
   * removed by BullMQ): a worker that dies after the push and before completing has its job run
   * again, and the producer's HSETNX keeps the first outcome; one that dies before the push loses
   * nothing. A job whose run expired pushes nothing.
   */
  const processor = async (job: Job<JobData, number>): Promise<number> => {
    const outcome = await outcomeOf(job as unknown as Job<JobData, WireResult>);
    if (outcome.x === undefined) {
      const { run, i } = job.data;
      await push.csNotify(k.run(run), k.ready(run), JSON.stringify({ i, ...outcome }));
    }
    return 1;
  };

  const worker = new Worker<JobData, number>(queue, processor, {
    connection: redis,
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
    const { run, i } = job.data;
    void push.csNotify(k.run(run), k.ready(run), JSON.stringify({ i })).catch(() => undefined);
  });
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    id,
    get running() {
      let n = 0;
      for (const s of active.values()) n += s.size;
      return n;
    },
    get processed() {
      return processed;
    },
    close({ force = false } = {}) {
      closing ??= (async () => {
        if (force) stopping.abort(new FanOutStoppedError('aborted', 'the worker was stopped'));
        await worker.close(force);
        await subscriber.quit().catch(() => subscriber.disconnect());
        await redis.quit().catch(() => redis.disconnect());
        await closeConfiguredStores();
        await limits.quit().catch(() => limits.disconnect());
      })();
      return closing;
    },
  };
}

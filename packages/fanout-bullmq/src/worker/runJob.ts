/** Running a job: the targets of one account (entry and member) in some of its regions. */

import { setMaxListeners } from 'node:events';
import { DelayedError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RegionalAccountsConfig } from '@cs/config';
import { classifyError, FanOutStoppedError } from '@cs/regional';
import type { RegionalAccounts } from '@cs/regional';
import { taskNamed } from '../defineTask';
import type { Task, TaskRegistry } from '../defineTask';
import { checkIdentity } from '../internal/plan';
import type { LoadedQueueConfig } from '../internal/plan';
import type { JobData, keys, RunMeta, WireResult } from '../internal/protocol';
import type { RecordScripts } from './connections';
import type { ContainerFor } from './containers';
import { messageOf, nameOf, runTarget, skipped } from './outcome';
import type { RunMetaCache } from './runMeta';
import type { SectionFor } from './sections';
import type { Slots } from './slots';

/**
 * A job's targets: its indices and regions; a job queued by an earlier version, with one target
 * (`i`, `r` a region), as a job of that one target.
 */
export const targetsOf = (
  data: JobData | { i?: unknown; r?: unknown },
): { t: readonly number[]; r: readonly string[] } => {
  if ('t' in data && Array.isArray(data.t) && Array.isArray(data.r)) return data;
  const { i, r } = data as { i?: unknown; r?: unknown };
  return typeof i === 'number' && typeof r === 'string' ? { t: [i], r: [r] } : { t: [], r: [] };
};

/** What a worker's job runner works with. */
export interface JobRunnerDeps {
  /** The worker's id (for its errors). */
  readonly id: string;
  readonly registry: TaskRegistry;
  readonly config: LoadedQueueConfig;
  readonly k: ReturnType<typeof keys>;
  readonly metas: RunMetaCache;
  readonly sectionFor: SectionFor;
  readonly containerFor: ContainerFor;
  /** The records' connection and its scripts. */
  readonly records: Redis;
  readonly scripts: RecordScripts;
  readonly slots: Slots;
  /** Fires when the worker stops with `force`. */
  readonly stopping: AbortSignal;
  /** Whether the worker stops gracefully: the targets of held jobs not started go back to the queue. */
  readonly handingBack: () => boolean;
}

/** A worker's job runner: BullMQ's processor, and the cancel of a run's running jobs. */
export interface JobRunner {
  process(job: Job<JobData, number>): Promise<number>;
  /** Aborts the running jobs of `run` (its running targets end skipped). */
  cancel(run: string): void;
}

type Todo = { i: number; region: string };
type RecordOutcome = (i: number, outcome: WireResult) => Promise<unknown>;

/**
 * The job's task and its account's container, or undefined when nothing can run here (its
 * targets then recorded as failed); throws the error to retry the job with when retryable.
 */
async function setUp(
  deps: JobRunnerDeps,
  meta: RunMeta,
  entry: number,
  accountId: string | undefined,
  todo: readonly Todo[],
  record: RecordOutcome,
  canRetry: boolean,
): Promise<{ task: Task; container: RegionalAccounts } | undefined> {
  const { id, registry, config, sectionFor, containerFor } = deps;
  try {
    const task = taskNamed(registry, meta.task, `worker ${id}`);
    const section = sectionFor(meta);
    checkIdentity(meta, { file: config.file, digest: section.digest });
    const container = await containerFor(
      meta,
      (section as { entries: RegionalAccountsConfig[] }).entries,
      entry,
      accountId,
    );
    return { task, container };
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
    return undefined;
  }
}

/**
 * Runs the job's targets `todo`, each in a slot, recording each outcome as it finishes: the
 * error to retry the job with (if a target met one), and whether targets were left unstarted
 * (or unrecorded) because the worker stops.
 */
async function runTargets(
  deps: JobRunnerDeps,
  active: Map<string, Set<AbortController>>,
  job: Job<JobData, number>,
  meta: RunMeta,
  ready: { task: Task; container: RegionalAccounts },
  todo: readonly Todo[],
  record: RecordOutcome,
  canRetry: boolean,
): Promise<{ retry: Error | undefined; left: boolean }> {
  const { k, records, scripts, slots, stopping, handingBack } = deps;
  const { run, e: entry, a: accountId } = job.data;
  const start = (job.id ?? '').slice(run.length + 1);
  // The job's targets stop together: a cancel of the run, or the worker stopped with `force`.
  const jobController = new AbortController();
  setMaxListeners(2 * targetsOf(job.data).t.length + 10, jobController.signal);
  const onStop = (): void => jobController.abort(stopping.reason);
  if (stopping.aborted) onStop();
  else stopping.addEventListener('abort', onStop, { once: true });
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
          if (stopping.aborted || handingBack()) {
            // Stopped: not started here, left for another worker.
            left = true;
            return;
          }
          if (!slot || jobController.signal.aborted) {
            outcome = skipped(region, 'the run was cancelled before this target started');
          } else {
            const ra = ready.container.get(region);
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
              outcome = await runTarget(
                meta,
                ready.task,
                ra,
                region,
                jobController.signal,
                canRetry,
              );
            }
          }
        } finally {
          if (slot) slots.release();
        }
        if (stopping.aborted && (outcome instanceof Error || outcome.s === 'skipped')) {
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
    stopping.removeEventListener('abort', onStop);
    set.delete(jobController);
    if (set.size === 0) active.delete(run);
  }
  return { retry, left };
}

/** The job runner of a worker. */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { k, metas, scripts, stopping } = deps;
  /** The running jobs' controllers, by run, for cancellation. */
  const active = new Map<string, Set<AbortController>>();

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
  const process = async (job: Job<JobData, number>): Promise<number> => {
    const { run, e: entry, a: accountId } = job.data;
    const { t: indices, r: regions } = targetsOf(job.data);
    const meta = await metas.metaOf(run);
    if (meta === undefined) return 1;
    const pushed = await scripts.csJobStart(k.out(run), k.running(run), ...indices.map(String));
    const todo: Todo[] = [];
    indices.forEach((i, n) => {
      if (Number(pushed[n]) !== 1) todo.push({ i, region: regions[n] ?? '' });
    });
    if (todo.length === 0) return 1;
    const record: RecordOutcome = (i, outcome) =>
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
    const ready = await setUp(deps, meta, entry, accountId, todo, record, canRetry);
    if (ready === undefined) return 1;
    const { retry, left } = await runTargets(
      deps,
      active,
      job,
      meta,
      ready,
      todo,
      record,
      canRetry,
    );
    if (retry !== undefined) throw retry;
    if (left) {
      if (!stopping.aborted && job.token !== undefined) {
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

  return {
    process,
    cancel(run) {
      for (const controller of active.get(run) ?? []) {
        controller.abort(new FanOutStoppedError('aborted', 'the run was cancelled'));
      }
    },
  };
}

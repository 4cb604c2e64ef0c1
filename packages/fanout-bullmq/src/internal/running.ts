/**
 * How many targets of a run are running: started by a worker and not finished. BullMQ keeps a job
 * in its queue's `active` list from the moment a worker takes it to run until the worker completes
 * or fails it (a worker takes a job only when it has a free slot, so an active job is a running
 * target); a job whose outcome was already collected is not counted. The list holds at most the
 * sum of every worker's concurrency, over all runs of the queue.
 */

import type { Redis } from 'ioredis';

/** The ids of the jobs that workers run now, from BullMQ's active list of a queue. @internal */
export const activeJobIds = (redis: Redis, activeKey: string): Promise<string[]> =>
  redis.lrange(activeKey, 0, -1);

/**
 * The indices of a run's targets among active job ids (`RUN-INDEX`).
 *
 * @internal
 */
export function activeIndices(active: readonly string[], run: string): number[] {
  const prefix = `${run}-`;
  const out: number[] = [];
  for (const id of active) {
    if (!id.startsWith(prefix)) continue;
    const i = Number(id.slice(prefix.length));
    if (Number.isInteger(i) && i >= 0) out.push(i);
  }
  return out;
}

/**
 * How many targets of a run run now: its active jobs whose outcome is not recorded in the run's
 * done hash (a worker pushes the outcome just before it completes the job).
 *
 * @internal
 */
export async function countRunning(
  redis: Redis,
  activeKey: string,
  run: string,
  doneKey: string,
  active?: readonly string[],
): Promise<number> {
  const indices = activeIndices(active ?? (await activeJobIds(redis, activeKey)), run);
  if (indices.length === 0) return 0;
  const recorded = await redis.hmget(doneKey, ...indices.map(String));
  return recorded.filter((r) => r === null).length;
}

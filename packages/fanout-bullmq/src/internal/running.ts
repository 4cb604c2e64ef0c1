/**
 * How many targets of a run are running: started by a worker and not finished. A worker marks a
 * target in the run's `running` hash (index → its job's first index) when the target takes one of
 * the worker's slots, and drops the mark when it records the outcome; a target waiting in a job
 * for a free slot is not marked. A mark counts while its job is in BullMQ's `active` list: a
 * worker killed outright keeps its targets counted until the stall check hands its jobs on, and
 * the worker that takes a job over drops the dead one's marks.
 */

import type { Redis } from 'ioredis';

/** The ids of the jobs that workers run now, from BullMQ's active list of a queue. @internal */
export const activeJobIds = (redis: Redis, activeKey: string): Promise<string[]> =>
  redis.lrange(activeKey, 0, -1);

/**
 * The first indices of a run's active jobs among active job ids (`RUN-START`).
 *
 * @internal
 */
export function activeStarts(active: readonly string[], run: string): Set<string> {
  const prefix = `${run}-`;
  const out = new Set<string>();
  for (const id of active) {
    if (id.startsWith(prefix)) out.add(id.slice(prefix.length));
  }
  return out;
}

/**
 * How many targets of a run run now: its marked targets whose job is active.
 *
 * @internal
 */
export async function countRunning(
  redis: Redis,
  activeKey: string,
  run: string,
  runningKey: string,
  active?: readonly string[],
): Promise<number> {
  const starts = activeStarts(active ?? (await activeJobIds(redis, activeKey)), run);
  if (starts.size === 0) return 0;
  const marks = await redis.hvals(runningKey);
  return marks.filter((start) => starts.has(start)).length;
}

/** The runs' metadata as the worker reads it: cached briefly, bounded, forgotten on a cancel. */

import type { Redis } from 'ioredis';
import { readMeta } from '../internal/protocol';
import type { keys, RunMeta } from '../internal/protocol';

const META_CACHE_MS = 2_000;
const META_CACHE_SIZE = 256;

/** A run's metadata (undefined when the run expired), and a way to drop a run's cached copy. */
export interface RunMetaCache {
  metaOf(run: string): Promise<RunMeta | undefined>;
  forget(run: string): void;
}

/** The cache of the runs' metadata read from `redis` (keys `k`). */
export function createRunMetaCache(redis: Redis, k: ReturnType<typeof keys>): RunMetaCache {
  const metas = new Map<string, { at: number; meta: Promise<RunMeta | undefined> }>();
  return {
    metaOf(run) {
      const cached = metas.get(run);
      if (cached !== undefined && performance.now() - cached.at < META_CACHE_MS) return cached.meta;
      if (metas.size >= META_CACHE_SIZE) metas.delete(metas.keys().next().value as string);
      const meta = readMeta(redis, k.run(run));
      metas.set(run, { at: performance.now(), meta });
      meta.catch(() => metas.delete(run));
      return meta;
    },
    forget(run) {
      metas.delete(run);
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedMemoryRateLimitStore } from '../src/index';
import { largestWindowCount } from './helpers';

interface Report {
  granted: number;
  calls: number;
  maxGap: number;
  observed: number[];
}

let dir: string;
let script: string;

beforeAll(async () => {
  // Worker threads run plain JavaScript: bundle the TypeScript fixture with the sources it imports.
  dir = mkdtempSync(join(tmpdir(), 'cs-ratelimit-shm-'));
  script = join(dir, 'shared-memory-worker.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'shared-memory-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'error',
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `threads` workers on one store, lets them compete for `ms`, and collects their reports. */
async function compete(
  store: SharedMemoryRateLimitStore,
  threads: number,
  options: { maxCount: number; interval: number; callers: number; ms: number },
): Promise<Report[]> {
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(script, {
        workerData: {
          shared: store.toShared(),
          maxCount: options.maxCount,
          interval: options.interval,
          callers: options.callers,
        },
      }),
  );
  try {
    const ready = workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
        }),
    );
    await Promise.all(ready);
    // Every thread starts together, once all are running, and stops at one deadline.
    const deadline = store.now() + options.ms;
    const reports = workers.map(
      (w) =>
        new Promise<Report>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    for (const w of workers) w.postMessage({ deadline });
    return await Promise.all(reports);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

describe('SharedMemoryRateLimitStore across 4 worker threads', () => {
  it('holds one budget: no window of `interval` ever holds more than maxCount grants from all threads', async () => {
    const store = new SharedMemoryRateLimitStore({ capacity: 1024 });
    const reports = await compete(store, 4, { maxCount: 20, interval: 500, callers: 10, ms: 2000 });
    const total = reports.reduce((n, r) => n + r.granted, 0);
    const grants = store.recentGrants();
    // every grant is in the shared log, once
    expect(grants).toHaveLength(total);
    expect(reports.flatMap((r) => r.observed)).toHaveLength(total);
    // the guarantee, on the log's exact decision times
    expect(largestWindowCount(grants, 500)).toBeLessThanOrEqual(20);
    // and the budget is used: 4 windows of 20 fit in 2 s, allow one lost to late timers
    expect(total).toBeGreaterThanOrEqual(60);
    expect(total).toBeLessThanOrEqual(80);
    // (no share per thread is promised: waiters queue first-in first-out within a thread only)
  });

  it("waits on each limiter's timer: event loops stay free and the store is asked a few times per grant, not polled", async () => {
    const store = new SharedMemoryRateLimitStore();
    // waits of up to a second: a thread that blocked while waiting would stall its 5 ms ticker for
    // most of one; one that waits on its timer stalls only for scheduling
    const reports = await compete(store, 4, {
      maxCount: 10,
      interval: 1000,
      callers: 20,
      ms: 1500,
    });
    for (const r of reports) {
      expect(r.maxGap).toBeLessThan(400);
      // a refused head waiter sleeps for the wait the store answered; a busy loop would ask
      // thousands of times per grant
      expect(r.calls).toBeLessThan(r.granted * 5 + 20);
    }
    const total = reports.reduce((n, r) => n + r.granted, 0);
    expect(largestWindowCount(store.recentGrants(), 1000)).toBeLessThanOrEqual(10);
    expect(total).toBeGreaterThanOrEqual(10);
    expect(total).toBeLessThanOrEqual(20);
  });

  it('a worker takes over a lock left held by a thread that died inside its critical section', async () => {
    const store = new SharedMemoryRateLimitStore();
    Atomics.store(new Int32Array(store.toShared().buffer, 0, 8), 0, 1); // a dead holder
    const worker = new Worker(script, {
      workerData: {
        shared: store.toShared(),
        maxCount: 1,
        interval: 1000,
        callers: 0,
        mode: 'one-take',
      },
    });
    const result = await new Promise<{ decision: number; ms: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(result.decision).toBe(0);
    expect(result.ms).toBeGreaterThanOrEqual(1000);
    expect(result.ms).toBeLessThan(5000);
    expect(store.recentGrants()).toHaveLength(1);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitProperties, SharedMemoryRateLimitStore } from '../src/index';
import { largestWindowCount } from './helpers';

interface Report {
  granted: number;
  observed: number[];
}

let dir: string;
let turnScript: string;
let competeScript: string;

beforeAll(async () => {
  // Worker threads run plain JavaScript: bundle the TypeScript fixtures with the sources they import.
  dir = mkdtempSync(join(tmpdir(), 'cs-ratelimit-line-'));
  turnScript = join(dir, 'shared-memory-turn-worker.mjs');
  competeScript = join(dir, 'shared-memory-worker.mjs');
  for (const [name, outfile] of [
    ['shared-memory-turn-worker.ts', turnScript],
    ['shared-memory-worker.ts', competeScript],
  ] as const) {
    await build({
      entryPoints: [join(import.meta.dirname, 'fixtures', name)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const workers: Worker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

/** The next message of a worker (rejecting on its error). */
function next<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/**
 * Starts a worker that makes one blocking acquisition and resolves once that acquisition waits;
 * `granted` then resolves with the shared time it was granted at.
 */
async function waitingThread(
  store: SharedMemoryRateLimitStore,
  options: { maxCount: number; interval: number; eager: boolean },
): Promise<{ worker: Worker; granted: Promise<{ grantedAt: number; asked: number }> }> {
  const worker = new Worker(turnScript, { workerData: { shared: store.toShared(), ...options } });
  workers.push(worker);
  const first = await next<{ waiting: number }>(worker);
  expect(first.waiting).toBe(1); // refused: it waits, and has taken its place in line
  return { worker, granted: next(worker) };
}

const jain = (xs: number[]): number => {
  const sum = xs.reduce((a, b) => a + b, 0);
  const squares = xs.reduce((a, b) => a + b * b, 0);
  return (sum * sum) / (xs.length * squares);
};

describe('the line across worker threads of a SharedMemoryRateLimitStore', () => {
  it('serves the thread that waited first first, even when later threads ask the store every millisecond', async () => {
    const store = new SharedMemoryRateLimitStore();
    const limits = { maxCount: 1, interval: 400 };
    expect(store.take(performance, 1, 400)).toBe(0); // the one slot, taken by the main thread
    const first = await waitingThread(store, { ...limits, eager: false });
    const second = await waitingThread(store, { ...limits, eager: true });
    const third = await waitingThread(store, { ...limits, eager: true });
    const [a, b, c] = await Promise.all([first.granted, second.granted, third.granted]);
    // The eager threads asked again and again (without a line, one of them would have taken the
    // slot the moment it freed), yet the slots went in the order the threads were refused.
    expect(b.asked).toBeGreaterThan(50);
    expect(c.asked).toBeGreaterThan(50);
    expect(a.grantedAt).toBeLessThan(b.grantedAt);
    expect(b.grantedAt).toBeLessThan(c.grantedAt);
    const grants = store.recentGrants();
    expect(grants).toHaveLength(4);
    expect(largestWindowCount(grants, 400)).toBe(1);
  });

  it('a terminated thread holds its turn for RETRY_GRACE_MS (50 ms) past its retry time, then no longer', async () => {
    const store = new SharedMemoryRateLimitStore();
    const limits = { maxCount: 1, interval: 300 };
    expect(store.take(performance, 1, 300)).toBe(0);
    const freedAt = store.recentGrants()[0]! + 300;
    const dead = await waitingThread(store, { ...limits, eager: false });
    await dead.worker.terminate(); // refused, in line, and gone
    // A limiter in this thread, on another copy of the store, refused after the dead thread.
    const limit = new RateLimitProperties({
      ...limits,
      block: true,
      store: SharedMemoryRateLimitStore.from(store.toShared()),
    });
    await limit.acquire();
    const grantedAt = store.recentGrants()[1]!;
    // It yielded the freed slot to the dead thread for the grace, and not for long after.
    expect(grantedAt).toBeGreaterThanOrEqual(freedAt + 49);
    expect(grantedAt).toBeLessThan(freedAt + 50 + 400);
  });

  it('4 threads contending for a small limit get equal shares (Jain index >= 0.9), within the window bound', async () => {
    const store = new SharedMemoryRateLimitStore({ capacity: 1024 });
    const threads = Array.from(
      { length: 4 },
      () =>
        new Worker(competeScript, {
          workerData: { shared: store.toShared(), maxCount: 8, interval: 250, callers: 5 },
        }),
    );
    workers.push(...threads);
    await Promise.all(threads.map((w) => next(w)));
    const deadline = store.now() + 2000;
    const reports = threads.map((w) => next<Report>(w));
    for (const w of threads) w.postMessage({ deadline });
    const shares = (await Promise.all(reports)).map((r) => r.granted);
    const total = shares.reduce((a, b) => a + b, 0);
    // 8 windows of 8 fit in 2 s; the run must get most of them (late timers on a loaded machine
    // shift each window a little), since the point here is how they are shared.
    expect(total).toBeGreaterThanOrEqual(40);
    expect(largestWindowCount(store.recentGrants(), 250)).toBeLessThanOrEqual(8);
    // The first 8 go to whoever asks first, before anyone waits; every window after is shared.
    expect(jain(shares)).toBeGreaterThanOrEqual(0.9);
    for (const share of shares) expect(share).toBeGreaterThanOrEqual(10);
  });
});

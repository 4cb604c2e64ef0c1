import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock, RateLimitDecision, RateLimitStore } from '../src/index';
import { MemoryRateLimitStore, RateLimitProperties, isRateLimitError } from '../src/index';
import { LoggingStore, flush, windowViolations } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const at = (t: number): Pick<Clock, 'now'> => ({ now: () => t });

describe('MemoryRateLimitStore', () => {
  it('grants while fewer than maxCount lie in the window, else answers the wait', async () => {
    const store = new MemoryRateLimitStore();
    // each grant is stamped in a microtask, once its caller has resumed
    const take = async (t: number): Promise<number> => {
      const d = store.take(at(t), 2, 1000);
      await flush();
      return d;
    };
    expect(await take(0)).toBe(0);
    expect(await take(10)).toBe(0);
    expect(await take(20)).toBe(980);
    expect(await take(999.5)).toBe(0.5);
    expect(await take(1000)).toBe(0);
    expect(await take(1000)).toBe(10);
    expect(store.size).toBe(2);
  });

  it('counts a grant at once, but stamps it with the time its caller resumes', async () => {
    const store = new MemoryRateLimitStore();
    let t = 0;
    const clock = { now: () => t };
    expect(store.take(clock, 2, 1000)).toBe(0);
    expect(store.take(clock, 2, 1000)).toBe(0);
    expect(store.take(clock, 2, 1000)).toBe(1000); // both in the window, not yet stamped
    t = 30; // the job that acquired, and its callers' continuations, took 30 ms
    await flush();
    t = 1000;
    expect(store.take(clock, 2, 1000)).toBe(30);
  });

  it('does not read the clock far below the limit, and stamps pending grants late (never early)', async () => {
    const store = new MemoryRateLimitStore();
    let reads = 0;
    let t = 0;
    const clock = { now: () => (reads++, t) };
    // maxCount 12800: up to 99 grants may be pending between readings
    for (let i = 0; i < 1000; i++) {
      t = i;
      expect(store.take(clock, 12_800, 10_000)).toBe(0);
      await flush();
    }
    // one reading to decide and one to stamp, per 100 grants
    expect(reads).toBe(20);
    expect(store.size).toBe(1000);
    // with maxCount up to 255, every grant reads the clock
    const exact = new MemoryRateLimitStore();
    reads = 0;
    for (let i = 0; i < 50; i++) {
      exact.take(clock, 255, 1000);
      await flush();
    }
    expect(reads).toBe(100);
  });

  it('forgets grants that no limit seen could count, keeping memory bounded', () => {
    const store = new MemoryRateLimitStore();
    for (let t = 0; t < 100_000; t++) store.take(at(t), 5, 10);
    expect(store.size).toBeLessThanOrEqual(5);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.take(at(0), 1, 10)).toBe(0);
  });

  it('keeps the order of its log when a second clock reads earlier', () => {
    const store = new MemoryRateLimitStore();
    expect(store.take(at(100), 1, 50)).toBe(0);
    // an earlier reading is treated as the last grant's time: the window is still full
    expect(store.take(at(90), 1, 50)).toBe(50);
  });
});

/** An asynchronous store, as a Redis store would be: the memory store's answers, a tick later. */
class AsyncStore implements RateLimitStore {
  readonly synchronous = false;
  readonly inner = new LoggingStore();
  calls = 0;
  fail: Error | undefined;
  async take(
    clock: Pick<Clock, 'now'>,
    maxCount: number,
    interval: number,
  ): Promise<RateLimitDecision> {
    this.calls++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.fail) throw this.fail;
    return this.inner.take(clock, maxCount, interval);
  }
  async clear(): Promise<void> {
    this.inner.clear();
  }
}

describe('an asynchronous store', () => {
  it('serves blocking callers in order under the window guarantee, unchanged for callers', async () => {
    const store = new AsyncStore();
    const limit = new RateLimitProperties({ maxCount: 2, interval: 100, block: true, store });
    const served: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) => limit.acquire().then(() => served.push(i)));
    await vi.advanceTimersByTimeAsync(400);
    await Promise.all(all);
    expect(served).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(windowViolations(store.inner.grants)).toEqual([]);
    expect(limit.stats).toMatchObject({ granted: 7, waiting: 0 });
  });

  it('rejects non-blocking callers with RateLimitExceeded', async () => {
    const store = new AsyncStore();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, store });
    const first = limit.acquire();
    await vi.advanceTimersByTimeAsync(1);
    await first;
    const second = limit.acquire().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1);
    expect(await second).toMatchObject({ name: 'RateLimitExceeded' });
  });

  it('makes tryAcquire throw a RateLimitError that names the alternative, without taking a slot', () => {
    const store = new AsyncStore();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, store });
    let error: unknown;
    try {
      limit.tryAcquire();
    } catch (e) {
      error = e;
    }
    expect(isRateLimitError(error)).toBe(true);
    expect((error as Error).message).toMatch(/acquire\(\) with block: false/);
    expect(store.calls).toBe(0);
  });

  it('passes a failure to the waiter that asked, and serves the next one', async () => {
    const store = new AsyncStore();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true, store });
    const first = limit.acquire();
    await vi.advanceTimersByTimeAsync(1);
    await first;
    const a = limit.acquire().catch((e: unknown) => e);
    const b = limit.acquire();
    store.fail = new Error('connection refused');
    await vi.advanceTimersByTimeAsync(1);
    expect(await a).toBe(store.fail);
    store.fail = undefined;
    await vi.advanceTimersByTimeAsync(200);
    await b;
    expect(limit.stats).toMatchObject({ granted: 2, waiting: 0 });
  });

  it('re-examines waiters after a decision in flight when the limit grows meanwhile', async () => {
    const store = new AsyncStore();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 60_000, block: true, store });
    const first = limit.acquire();
    await vi.advanceTimersByTimeAsync(1);
    await first;
    const second = limit.acquire();
    await vi.advanceTimersByTimeAsync(1); // its decision: wait a minute; now the waiter sleeps
    const third = limit.acquire();
    limit.maxCount = 3;
    await vi.advanceTimersByTimeAsync(5);
    await Promise.all([second, third]);
    expect(performance.now()).toBeLessThan(10);
  });
});

describe('a store that throws', () => {
  it('rejects the acquisition with its error', async () => {
    const boom = new Error('store broken');
    const store: RateLimitStore = {
      synchronous: true,
      take: () => {
        throw boom;
      },
      clear: () => undefined,
    };
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, store });
    await expect(limit.acquire()).rejects.toBe(boom);
  });
});

describe('stamping', () => {
  it('happens after the continuations of the callers granted in the same job', async () => {
    let t = 0;
    const clock = { now: () => t, sleep: () => new Promise<void>(() => undefined) };
    const store = new LoggingStore();
    const limit = new RateLimitProperties({ maxCount: 2, interval: 1000, clock, store });
    const resumed: number[] = [];
    const caller = async (): Promise<void> => {
      await limit.acquire();
      resumed.push(t);
      t += 40; // each caller's code runs for 40 ms before yielding
    };
    await Promise.all([caller(), caller()]);
    expect(resumed).toEqual([0, 40]);
    // both grants count from t=80, when the second caller's code is done: none frees before 1080
    t = 1079;
    expect(limit.tryAcquire()).toBe(false);
    t = 1080;
    expect(limit.tryAcquire()).toBe(true);
  });
});

it('stamping of a grant decided by a resumed caller waits for that caller to resume in turn', async () => {
  let t = 0;
  const clock = { now: () => t, sleep: () => new Promise<void>(() => undefined) };
  const limit = new RateLimitProperties({ maxCount: 2, interval: 1000, clock });
  const caller = async (): Promise<void> => {
    await limit.acquire();
    t += 40; // first grant: its caller's code runs until t=40, then acquires again
    await limit.acquire();
    t += 40; // second grant: resumed code runs until t=80
  };
  await caller();
  await flush();
  limit.maxCount = 1;
  t = 1079;
  expect(limit.tryAcquire()).toBe(false); // the second grant counts from t=80
  t = 1080;
  expect(limit.tryAcquire()).toBe(true);
});

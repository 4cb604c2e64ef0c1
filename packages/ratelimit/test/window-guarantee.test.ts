import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  RateLimitExceeded,
  RateLimitProperties,
  isRateLimitError,
  isRateLimitExceeded,
} from '../src/index';
import { LoggingStore, largestWindowCount, windowViolations } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a limit with block: false', () => {
  it('grants maxCount acquisitions, then rejects with RateLimitExceeded naming the limit', async () => {
    const limit = new RateLimitProperties({ maxCount: 2, interval: '1s' });
    await limit.acquire();
    await limit.acquire();
    const error: unknown = await limit.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitExceeded);
    expect(isRateLimitExceeded(error)).toBe(true);
    expect(isRateLimitError(error)).toBe(true);
    expect((error as Error).message).toMatch(/rate limit of 2 calls per 1000 ms exceeded/);
    expect(error).toMatchObject({ name: 'RateLimitExceeded', maxCount: 2, interval: 1000 });
    expect(limit.stats).toEqual({ granted: 2, rejected: 1, waiting: 0, waitedMs: 0 });
  });

  it('frees a slot exactly when the oldest grant leaves the window, not a millisecond before', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000 });
    await limit.acquire();
    await vi.advanceTimersByTimeAsync(999);
    expect(limit.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(limit.tryAcquire()).toBe(true);
  });

  it('slides: one grant at t=0 and the rest at t=900 leave one slot at t=1000, the next at t=1900', async () => {
    const limit = new RateLimitProperties({ maxCount: 100, interval: 1000 });
    expect(limit.tryAcquire()).toBe(true);
    await vi.advanceTimersByTimeAsync(900);
    let granted = 0;
    for (let i = 0; i < 150; i++) if (limit.tryAcquire()) granted++;
    expect(granted).toBe(99);
    await vi.advanceTimersByTimeAsync(100);
    expect(limit.tryAcquire()).toBe(true);
    expect(limit.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(899);
    expect(limit.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(limit.tryAcquire()).toBe(true);
  });
});

describe('tryAcquire', () => {
  it('takes a free slot and says so, never waits, and counts refusals as rejections', () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 50, block: true });
    expect(limit.tryAcquire()).toBe(true);
    expect(limit.tryAcquire()).toBe(false);
    expect(limit.stats).toEqual({ granted: 1, rejected: 1, waiting: 0, waitedMs: 0 });
  });

  it('does not jump ahead of waiters, even when the slot has just freed', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true });
    await limit.acquire();
    const order: string[] = [];
    const waiter = limit.acquire().then(() => order.push('waiter'));
    expect(limit.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await waiter;
    expect(order).toEqual(['waiter']);
    expect(limit.tryAcquire()).toBe(false);
  });
});

describe('an unlimited limit', () => {
  it('is the default: every acquisition is granted at once and nothing is recorded', async () => {
    const store = new LoggingStore();
    const limit = new RateLimitProperties({ store });
    expect(limit.unlimited).toBe(true);
    expect([limit.maxCount, limit.interval, limit.block]).toEqual([0, 0, false]);
    for (let i = 0; i < 1000; i++) await limit.acquire();
    expect(limit.tryAcquire()).toBe(true);
    expect(store.grants).toHaveLength(0);
    expect(limit.stats.granted).toBe(1001);
  });

  it('results from maxCount 0 or interval 0', () => {
    expect(new RateLimitProperties({ maxCount: 0, interval: 1000 }).unlimited).toBe(true);
    expect(new RateLimitProperties({ maxCount: 5, interval: 0 }).unlimited).toBe(true);
    expect(new RateLimitProperties({ maxCount: 5, interval: 1 }).unlimited).toBe(false);
  });
});

describe('under saturation', () => {
  it('50 blocking callers get maxCount per interval, no window over the limit', async () => {
    const store = new LoggingStore();
    const limit = new RateLimitProperties({ maxCount: 10, interval: 100, block: true, store });
    let stop = false;
    const callers = Array.from({ length: 50 }, async () => {
      while (!stop) await limit.acquire();
    });
    await vi.advanceTimersByTimeAsync(9_999);
    stop = true;
    const granted = store.grants.length;
    // windows start at 0, 100, ..., 9900: 100 windows of 10
    expect(granted).toBe(1000);
    expect(windowViolations(store.grants)).toEqual([]);
    expect(
      largestWindowCount(
        store.grants.map((g) => g.t),
        100,
      ),
    ).toBe(10);
    limit.maxCount = 0; // release the callers
    await Promise.all(callers);
  });

  it('a limit of 2000 per second (batched stamping) is still never exceeded', async () => {
    const store = new LoggingStore();
    const limit = new RateLimitProperties({ maxCount: 2000, interval: 1000, block: true, store });
    let stop = false;
    const callers = Array.from({ length: 20 }, async (_, i) => {
      while (!stop) {
        await limit.acquire();
        if (i % 3 === 0) await new Promise((r) => setTimeout(r, 1));
      }
    });
    await vi.advanceTimersByTimeAsync(4_999);
    stop = true;
    expect(windowViolations(store.grants)).toEqual([]);
    // at most 1/128 of the limit may be refused early, once per interval
    expect(store.grants.length).toBeGreaterThanOrEqual(5 * 2000 * (1 - 1 / 128));
    limit.maxCount = 0;
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(callers);
  });
});

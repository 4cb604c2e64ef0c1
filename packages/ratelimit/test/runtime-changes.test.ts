import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitProperties, isRateLimitConfigError, ratelimited } from '../src/index';
import { LoggingStore, countingClock, windowViolations } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('raising the limit', () => {
  it('wakes waiters at once, without waiting for the timer', async () => {
    const clock = countingClock();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 60_000, block: true, clock });
    await limit.acquire();
    const served: number[] = [];
    const all = [1, 2, 3].map((i) => limit.acquire().then(() => served.push(i)));
    limit.maxCount = 3;
    await Promise.resolve();
    await Promise.resolve();
    expect(served).toEqual([1, 2]);
    expect(performance.now()).toBe(0);
    // the third still waits, on the one timer
    expect(clock.pending).toBe(1);
    limit.maxCount = 0; // unlimited: everyone goes
    await Promise.all(all);
    expect(served).toEqual([1, 2, 3]);
    expect(clock.pending).toBe(0);
  });

  it('by shortening the interval wakes waiters when the new window allows', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: '1m', block: true });
    await limit.acquire();
    const wait = limit.acquire();
    await vi.advanceTimersByTimeAsync(5_000);
    limit.interval = '2s';
    await wait; // 5 s have passed since the first grant: the 2 s window allows it now
    expect(performance.now()).toBe(5_000);
    expect(limit.interval).toBe(2_000);
  });
});

describe('lowering the limit', () => {
  it('applies to the next acquisition, counting the grants already made', async () => {
    const store = new LoggingStore();
    const limit = new RateLimitProperties({ maxCount: 10, interval: 1000, store });
    for (let i = 0; i < 5; i++) await limit.acquire();
    limit.maxCount = 5;
    expect(limit.tryAcquire()).toBe(false);
    limit.interval = 2000;
    await vi.advanceTimersByTimeAsync(1_500);
    expect(limit.tryAcquire()).toBe(false); // the 5 grants are still inside the 2 s window
    await vi.advanceTimersByTimeAsync(500);
    expect(limit.tryAcquire()).toBe(true);
    expect(windowViolations(store.grants)).toEqual([]);
  });

  it('keeps grants made under a larger limit in view when the interval grows', async () => {
    const limit = new RateLimitProperties({ maxCount: 100, interval: 100 });
    for (let i = 0; i < 100; i++) expect(limit.tryAcquire()).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    limit.interval = 1000; // 100 grants are 100 ms old: inside a 1 s window
    expect(limit.tryAcquire()).toBe(false);
  });
});

describe('the properties', () => {
  it('validate values at construction and on every set', () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1 });
    expect(() => (limit.maxCount = -1)).toThrow(/maxCount: -1/);
    expect(() => (limit.maxCount = 1.5)).toThrow(/maxCount: 1.5 \(expected a non-negative integer/);
    expect(() => (limit.interval = 'soon')).toThrow(/interval: "soon"/);
    expect(() => (limit.interval = -5)).toThrow(/interval: -5/);
    expect(() => (limit.block = 'yes' as unknown as boolean)).toThrow(/block: "yes"/);
    expect(() => new RateLimitProperties({ maxCount: Number.NaN })).toThrow(/maxCount: NaN/);
    try {
      new RateLimitProperties({ interval: '5 fortnights' });
      expect.unreachable();
    } catch (e) {
      expect(isRateLimitConfigError(e)).toBe(true);
      expect(e).toMatchObject({ key: 'interval', value: '5 fortnights' });
    }
    expect([limit.maxCount, limit.interval, limit.block]).toEqual([1, 1, false]);
  });

  it('take duration strings for interval and read back milliseconds', () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: '250ms' });
    expect(limit.interval).toBe(250);
    limit.interval = '2m';
    expect(limit.interval).toBe(120_000);
    limit.interval = 1500;
    expect(limit.interval).toBe(1500);
  });
});

describe('sharing', () => {
  it('two callers holding the same RateLimitProperties share one budget', async () => {
    const limit = new RateLimitProperties({ maxCount: 3, interval: 1000 });
    const a = ratelimited(async () => 'a', limit);
    const b = ratelimited(async () => 'b', limit);
    expect(await a()).toBe('a');
    expect(await b()).toBe('b');
    expect(await a()).toBe('a');
    await expect(b()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    await expect(a()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    expect(limit.stats).toMatchObject({ granted: 3, rejected: 2 });
  });

  it('two limits with their own stores do not', () => {
    const a = new RateLimitProperties({ maxCount: 1, interval: 1000 });
    const b = new RateLimitProperties({ maxCount: 1, interval: 1000 });
    expect([a.tryAcquire(), b.tryAcquire(), a.tryAcquire()]).toEqual([true, true, false]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitProperties, ratelimited } from '../src/index';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ratelimited', () => {
  it('acquires before each call and passes arguments, this and the result through', async () => {
    const seen: unknown[] = [];
    const obj = {
      base: 10,
      add: ratelimited(
        function (this: { base: number }, x: number) {
          seen.push(this.base);
          return this.base + x;
        },
        { maxCount: 2, interval: '1s', block: true },
      ),
    };
    const results = [obj.add(1), obj.add(2), obj.add(3)];
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([10, 10]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await Promise.all(results)).toEqual([11, 12, 13]);
    expect(obj.add.ratelimit.stats).toMatchObject({ granted: 3, waiting: 0 });
  });

  it('rejects without calling fn when a non-blocking limit is exhausted', async () => {
    const fn = vi.fn(async () => 'ok');
    const limited = ratelimited(fn, new RateLimitProperties({ maxCount: 1, interval: 1000 }));
    expect(await limited()).toBe('ok');
    await expect(limited()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('passes fn errors through and keeps its name', async () => {
    async function fetchThing(): Promise<never> {
      throw new Error('not found');
    }
    const limited = ratelimited(fetchThing, {});
    expect(limited.name).toBe('fetchThing');
    await expect(limited()).rejects.toThrow('not found');
  });

  it('rejects invalid options at once', () => {
    expect(() => ratelimited(() => 1, { maxCount: -3 })).toThrow(/maxCount: -3/);
  });
});

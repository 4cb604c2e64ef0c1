import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock, RateLimitStore } from '../src/index';
import {
  MAX_DURATION_MS,
  MemoryRateLimitStore,
  RateLimitProperties,
  isRateLimitConfigError,
  parseDuration,
  rateLimitPropertiesFactory,
  systemClock,
} from '../src/index';

const DAY = 86_400_000;

/** A memory store that counts its decisions. */
class CountingStore implements RateLimitStore {
  readonly synchronous = true;
  calls = 0;
  readonly #inner = new MemoryRateLimitStore();
  take(clock: Pick<Clock, 'now'>, maxCount: number, interval: number): number {
    this.calls++;
    return this.#inner.take(clock, maxCount, interval);
  }
  clear(): void {
    this.#inner.clear();
  }
}

/** Collects the process warnings of the given name emitted while it listens. */
function warningsNamed(name: string): { seen: Error[]; stop: () => void } {
  const seen: Error[] = [];
  const listener = (warning: Error): void => {
    if (warning.name === name) seen.push(warning);
  };
  process.on('warning', listener);
  return { seen, stop: () => process.off('warning', listener) };
}

describe('a wait longer than a timer can hold (2^31-1 ms)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['30d', 30 * DAY],
    [1e12, 1e12],
  ])(
    'with interval %s, makes O(1) store decisions, not one per millisecond',
    async (interval, ms) => {
      vi.useFakeTimers();
      const warnings = warningsNamed('TimeoutOverflowWarning');
      const store = new CountingStore();
      const limit = new RateLimitProperties({ maxCount: 1, interval, block: true, store });
      await limit.acquire();
      let served = false;
      const waiting = limit.acquire().then(() => (served = true));
      // A timeout past 2^31-1 ms fires after 1 ms (in Node and in fake timers): the old limiter
      // asked the store again every millisecond.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(store.calls).toBe(2);
      expect(served).toBe(false);
      await vi.advanceTimersByTimeAsync(ms - 1_001);
      expect(served).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(served).toBe(true);
      // one decision per 2^31-1 ms step, and the grant
      expect(store.calls).toBeLessThanOrEqual(2 + Math.ceil(ms / 2_147_483_647) + 1);
      expect(vi.getTimerCount()).toBe(0);
      warnings.stop();
      expect(warnings.seen).toEqual([]);
    },
  );

  it('systemClock.sleep(30 days) neither fires early nor warns of a timeout overflow (real timers)', async () => {
    const warnings = warningsNamed('TimeoutOverflowWarning');
    const ac = new AbortController();
    let ended = false;
    const sleep = systemClock.sleep(30 * DAY, ac.signal).then(
      () => (ended = true),
      () => undefined,
    );
    // bounded real wait: long enough for a 1 ms timer and the warning (emitted on next tick)
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toBe(false);
    ac.abort();
    await sleep;
    expect(ended).toBe(false);
    warnings.stop();
    expect(warnings.seen).toEqual([]);
  });

  it('a limiter waiting 30 days on real timers asks its store once, and warns of nothing', async () => {
    const warnings = warningsNamed('TimeoutOverflowWarning');
    const store = new CountingStore();
    const limit = new RateLimitProperties({ maxCount: 1, interval: '30d', block: true, store });
    await limit.acquire();
    const ac = new AbortController();
    const waiting = limit.acquire({ signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.calls).toBe(2);
    ac.abort();
    expect(await waiting).toMatchObject({ name: 'AbortError' });
    warnings.stop();
    expect(warnings.seen).toEqual([]);
  });

  it('systemClock.sleep of NaN or a negative time waits 1 ms and ends (fake timers)', async () => {
    vi.useFakeTimers();
    for (const ms of [Number.NaN, -5, 0.2]) {
      let ended = false;
      const sleep = systemClock.sleep(ms).then(() => (ended = true));
      await vi.advanceTimersByTimeAsync(1);
      await sleep;
      expect(ended).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('systemClock.sleep of more than 2^31-1 ms resolves after the whole time (fake timers)', async () => {
    vi.useFakeTimers();
    let ended = false;
    const sleep = systemClock.sleep(2 ** 31 + 5).then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(2 ** 31 + 4);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleep;
    expect(ended).toBe(true);
  });
});

describe('durations that are not usable', () => {
  const huge = '9'.repeat(400);

  it.each([
    ['400 nines', huge],
    ['400 nines and ms', `${huge}ms`],
    ['400 nines and d', `${huge}d`],
    ['"1e400"', '1e400'],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
    ['MAX_DURATION_MS + 1', MAX_DURATION_MS + 1],
    ['"36526d"', '36526d'],
  ])('parseDuration(%s) throws RateLimitConfigError', (_label, value) => {
    let error: unknown;
    try {
      parseDuration(value);
    } catch (e) {
      error = e;
    }
    expect(isRateLimitConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^invalid rate limit setting interval: /);
    expect((error as Error).message).toContain('at most 100 years');
    // a long value is cut in the message
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('the longest duration is accepted: 100 years', () => {
    expect(parseDuration(MAX_DURATION_MS)).toBe(MAX_DURATION_MS);
    expect(parseDuration('36525d')).toBe(MAX_DURATION_MS);
  });

  it('the constructor and the setter refuse them, and keep the previous value', () => {
    expect(() => new RateLimitProperties({ maxCount: 1, interval: huge })).toThrow(
      /invalid rate limit setting interval/,
    );
    expect(() => new RateLimitProperties({ maxCount: 1, interval: Infinity })).toThrow(
      /invalid rate limit setting interval: Infinity/,
    );
    const limit = new RateLimitProperties({ maxCount: 1, interval: '1s' });
    expect(() => (limit.interval = huge)).toThrow(/invalid rate limit setting interval/);
    expect(limit.interval).toBe(1000);
    expect(() => (limit.maxCount = Infinity)).toThrow(/invalid rate limit setting maxCount/);
    expect(() => (limit.maxCount = 2 ** 53)).toThrow(/invalid rate limit setting maxCount/);
    expect(limit.maxCount).toBe(1);
  });

  it('the configuration form refuses seconds whose milliseconds are not finite', () => {
    for (const interval of [1e306, '1' + '0'.repeat(306), huge, 4e9]) {
      let error: unknown;
      try {
        rateLimitPropertiesFactory({ max_count: 1, interval });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: 'RateLimitConfigError', key: 'interval' });
      expect((error as Error).message).toContain('at most 100 years (3155760000 seconds)');
    }
    expect(rateLimitPropertiesFactory({ max_count: 1, interval: 3155760000 }).interval).toBe(
      MAX_DURATION_MS,
    );
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../src/index';
import {
  RateLimitProperties,
  SharedMemoryRateLimitStore,
  isRateLimitConfigError,
  isRateLimitError,
} from '../src/index';
import { largestWindowCount } from './helpers';

afterEach(() => {
  vi.useRealTimers();
});

const at = (t: number): Pick<Clock, 'now'> => ({ now: () => t });

describe('SharedMemoryRateLimitStore decisions', () => {
  it('grants while fewer than maxCount lie in the window, else answers the wait', () => {
    const store = new SharedMemoryRateLimitStore();
    expect(store.synchronous).toBe(true);
    expect(store.take(at(0), 2, 1000)).toBe(0);
    expect(store.take(at(10), 2, 1000)).toBe(0);
    expect(store.take(at(20), 2, 1000)).toBe(980);
    expect(store.take(at(999.5), 2, 1000)).toBe(0.5);
    expect(store.take(at(1000), 2, 1000)).toBe(0);
    expect(store.take(at(1000), 2, 1000)).toBe(10);
    expect(store.recentGrants().map((t) => t - performance.timeOrigin)).toEqual([0, 10, 1000]);
  });

  it('judges a limit raised or lengthened at run time against every grant it remembers', () => {
    const store = new SharedMemoryRateLimitStore({ capacity: 8 });
    for (let t = 0; t < 5; t++) expect(store.take(at(t * 100), 1, 100)).toBe(0);
    // five grants in (0, 400]; a limit of 5 per second sees all of them
    expect(store.take(at(450), 5, 1000)).toBe(1000 - 450);
    expect(store.take(at(450), 6, 1000)).toBe(0);
  });

  it('remembers the last `capacity` grants and refuses a maxCount beyond it with a clear error', () => {
    const store = new SharedMemoryRateLimitStore({ capacity: 3 });
    expect(store.capacity).toBe(3);
    for (let t = 0; t < 10; t++) expect(store.take(at(t * 10), 3, 10)).toBe(0);
    expect(store.recentGrants()).toHaveLength(3);
    let error: unknown;
    try {
      store.take(at(200), 4, 10);
    } catch (e) {
      error = e;
    }
    expect(isRateLimitConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /maxCount: 4 \(expected at most 3, the capacity of this SharedMemoryRateLimitStore: create it with new SharedMemoryRateLimitStore\(\{ capacity: 4 \}\) or more\)/,
    );
  });

  it('keeps its log in order when a second clock reads earlier', () => {
    const store = new SharedMemoryRateLimitStore();
    expect(store.take(at(100), 1, 50)).toBe(0);
    expect(store.take(at(90), 1, 50)).toBe(50);
  });

  it('forgets every grant on clear(), for every copy', () => {
    const store = new SharedMemoryRateLimitStore();
    const copy = SharedMemoryRateLimitStore.from(store.toShared());
    expect(store.take(at(0), 1, 1000)).toBe(0);
    expect(copy.take(at(1), 1, 1000)).toBe(999);
    copy.clear();
    expect(store.recentGrants()).toEqual([]);
    expect(store.take(at(2), 1, 1000)).toBe(0);
  });

  it('refuses an invalid capacity with RateLimitConfigError', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN, 2 ** 25]) {
      expect(() => new SharedMemoryRateLimitStore({ capacity })).toThrow(
        /invalid rate limit setting capacity: .* \(expected an integer from 1 to 16777216/,
      );
    }
  });
});

describe('handing the store to another thread', () => {
  it('toShared() survives a structured clone and shares, never copies, the memory', () => {
    const store = new SharedMemoryRateLimitStore({ capacity: 16 });
    const cloned = structuredClone(store.toShared());
    expect(cloned.buffer).toBeInstanceOf(SharedArrayBuffer);
    const copy = SharedMemoryRateLimitStore.from(cloned);
    expect(copy.capacity).toBe(16);
    expect(copy.take(at(0), 2, 1000)).toBe(0);
    expect(store.take(at(1), 2, 1000)).toBe(0);
    expect(copy.take(at(2), 2, 1000)).toBe(998);
    expect(store.recentGrants()).toEqual(copy.recentGrants());
  });

  it('from() refuses anything but a state from toShared(), saying what it needs', () => {
    const store = new SharedMemoryRateLimitStore();
    const shared = store.toShared();
    const bad: unknown[] = [
      undefined,
      {},
      { kind: 'cs-ratelimit-shared-memory', buffer: new ArrayBuffer(64) },
      { kind: 'cs-ratelimit-shared-memory', buffer: new SharedArrayBuffer(64) },
      { kind: 'other', buffer: shared.buffer },
    ];
    for (const value of bad) {
      let error: unknown;
      try {
        SharedMemoryRateLimitStore.from(value as never);
      } catch (e) {
        error = e;
      }
      expect(isRateLimitError(error)).toBe(true);
      expect((error as Error).message).toMatch(/SharedMemoryRateLimitStore\.from\(\)/);
    }
  });

  it('takes over a lock left held by a thread that died inside its critical section', () => {
    const store = new SharedMemoryRateLimitStore();
    const words = new Int32Array(store.toShared().buffer, 0, 8);
    Atomics.store(words, 0, 1); // as if a terminated worker held it
    const t0 = performance.now();
    expect(store.take(at(0), 1, 1000)).toBe(0);
    const spun = performance.now() - t0;
    expect(spun).toBeGreaterThanOrEqual(1000);
    expect(spun).toBeLessThan(5000);
    expect(Atomics.load(words, 0)).toBe(0);
  });
});

describe('a RateLimitProperties on the shared store', () => {
  it('serves blocking callers first-in first-out under the window guarantee, on its own timer', async () => {
    vi.useFakeTimers();
    const store = new SharedMemoryRateLimitStore();
    const limit = new RateLimitProperties({ maxCount: 3, interval: 100, block: true, store });
    const other = new RateLimitProperties({
      maxCount: 3,
      interval: 100,
      block: true,
      store: SharedMemoryRateLimitStore.from(store.toShared()),
    });
    const served: string[] = [];
    const all = [
      ...Array.from({ length: 6 }, (_, i) => limit.acquire().then(() => served.push(`a${i}`))),
      ...Array.from({ length: 3 }, (_, i) => other.acquire().then(() => served.push(`b${i}`))),
    ];
    await vi.advanceTimersByTimeAsync(250);
    await Promise.all(all);
    expect(served.filter((s) => s.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    const grants = store.recentGrants();
    expect(grants).toHaveLength(9);
    expect(largestWindowCount(grants, 100)).toBe(3);
    expect(limit.stats.granted + other.stats.granted).toBe(9);
  });

  it('rejects a non-blocking caller with RateLimitExceeded when another copy took the budget', async () => {
    const store = new SharedMemoryRateLimitStore();
    const copy = SharedMemoryRateLimitStore.from(store.toShared());
    const a = new RateLimitProperties({ maxCount: 1, interval: 60_000, store });
    const b = new RateLimitProperties({ maxCount: 1, interval: 60_000, store: copy });
    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    await expect(b.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
  });

  it('passes a maxCount above the capacity to the acquisition as a RateLimitConfigError', async () => {
    const store = new SharedMemoryRateLimitStore({ capacity: 2 });
    const limit = new RateLimitProperties({ maxCount: 5, interval: 1000, store });
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitConfigError' });
  });
});

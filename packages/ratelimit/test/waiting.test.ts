import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../src/index';
import { RateLimitProperties, systemClock } from '../src/index';
import { LoggingStore, countingClock, windowViolations } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('blocking acquisitions', () => {
  it('wait for their slot and are served first-in, first-out at the times slots free', async () => {
    const clock = countingClock();
    const limit = new RateLimitProperties({ maxCount: 2, interval: 1000, block: true, clock });
    const served: [number, number][] = [];
    const all = Array.from({ length: 7 }, (_, i) =>
      limit.acquire().then(() => served.push([i, performance.now()])),
    );
    await vi.advanceTimersByTimeAsync(3_500);
    await Promise.all(all);
    expect(served).toEqual([
      [0, 0],
      [1, 0],
      [2, 1000],
      [3, 1000],
      [4, 2000],
      [5, 2000],
      [6, 3000],
    ]);
    expect(limit.stats).toEqual({ granted: 7, rejected: 0, waiting: 0, waitedMs: 9000 });
  });

  it('report the current number of waiters', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true });
    const all = [limit.acquire(), limit.acquire(), limit.acquire()];
    expect(limit.stats.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(limit.stats.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(limit.stats.waiting).toBe(0);
  });
});

describe('the timer', () => {
  it('is ONE per limiter however many wait, and none once the queue is empty', async () => {
    const clock = countingClock();
    const limit = new RateLimitProperties({ maxCount: 3, interval: 100, block: true, clock });
    const all = Array.from({ length: 100 }, () => limit.acquire());
    expect(clock.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(3_300);
    await Promise.all(all);
    expect(clock.maxPending).toBe(1);
    expect(clock.pending).toBe(0);
    // one sleep per interval in which someone waited: no busy loop
    expect(clock.started).toBe(33);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is not started by an idle limiter, nor by acquisitions that find a slot', async () => {
    const clock = countingClock();
    const limit = new RateLimitProperties({ maxCount: 5, interval: 100, block: true, clock });
    for (let i = 0; i < 5; i++) await limit.acquire();
    expect(clock.started).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is cleared when the last waiter aborts', async () => {
    const clock = countingClock();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 10_000, block: true, clock });
    await limit.acquire();
    const ac = new AbortController();
    const waits = [limit.acquire({ signal: ac.signal }), limit.acquire({ signal: ac.signal })];
    expect(vi.getTimerCount()).toBe(1);
    ac.abort();
    await expect(Promise.all(waits)).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(clock.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('may fire early: the limiter asks again and never grants before the window allows', async () => {
    // A clock whose sleeps end after a third of the time asked.
    const early: Clock = {
      now: () => performance.now(),
      sleep: (ms, signal) => systemClock.sleep(Math.max(1, Math.floor(ms / 3)), signal),
    };
    const store = new LoggingStore();
    const limit = new RateLimitProperties({
      maxCount: 4,
      interval: 300,
      block: true,
      clock: early,
      store,
    });
    const all = Array.from({ length: 20 }, () => limit.acquire());
    await vi.advanceTimersByTimeAsync(1_500);
    await Promise.all(all);
    expect(windowViolations(store.grants)).toEqual([]);
    expect(store.grants.map((g) => g.t)).toEqual([
      0, 0, 0, 0, 300, 300, 300, 300, 600, 600, 600, 600, 900, 900, 900, 900, 1200, 1200, 1200,
      1200,
    ]);
  });
});

describe('aborting a wait', () => {
  it('rejects with the signal reason, an AbortError by default', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000, block: true });
    await limit.acquire();
    const ac = new AbortController();
    const wait = limit.acquire({ signal: ac.signal });
    ac.abort();
    await expect(wait).rejects.toMatchObject({ name: 'AbortError' });
    const custom = new Error('shutting down');
    const ac2 = new AbortController();
    const wait2 = limit.acquire({ signal: ac2.signal });
    ac2.abort(custom);
    await expect(wait2).rejects.toBe(custom);
  });

  it('gives up the place: the next waiter takes the freed slot, in order', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000, block: true });
    await limit.acquire();
    const order: string[] = [];
    const ac = new AbortController();
    const a = limit.acquire().then(() => order.push('a'));
    const b = limit.acquire({ signal: ac.signal }).then(
      () => order.push('b'),
      () => order.push('b aborted'),
    );
    const c = limit.acquire().then(() => order.push('c'));
    expect(limit.stats.waiting).toBe(3);
    ac.abort();
    await b;
    expect(limit.stats.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all([a, c]);
    expect(order).toEqual(['b aborted', 'a', 'c']);
    expect(limit.stats.granted).toBe(3);
  });

  it('with an already aborted signal rejects at once without taking a slot', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000 });
    await expect(limit.acquire({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(limit.tryAcquire()).toBe(true);
  });

  it('after the grant changes nothing, and removes its listener', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true });
    await limit.acquire();
    const ac = new AbortController();
    const remove = vi.spyOn(ac.signal, 'removeEventListener');
    const wait = limit.acquire({ signal: ac.signal });
    await vi.advanceTimersByTimeAsync(100);
    await wait;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    ac.abort();
    expect(limit.stats).toMatchObject({ granted: 2, waiting: 0 });
  });

  it('counts the time waited until the abort in waitedMs', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000, block: true });
    await limit.acquire();
    const ac = new AbortController();
    const wait = limit.acquire({ signal: ac.signal }).catch(() => 'aborted');
    await vi.advanceTimersByTimeAsync(250);
    ac.abort();
    expect(await wait).toBe('aborted');
    expect(limit.stats.waitedMs).toBe(250);
  });
});

describe('a limit that is not blocking', () => {
  it('rejects at once while others wait, and counts the rejection', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true });
    await limit.acquire();
    const waiting = limit.acquire();
    limit.block = false;
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    // the waiter that was already queued keeps waiting
    await vi.advanceTimersByTimeAsync(100);
    await waiting;
    expect(limit.stats).toMatchObject({ granted: 2, rejected: 1 });
  });
});

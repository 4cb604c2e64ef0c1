import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitProperties } from '../src/index';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Collects the process warnings of the given name emitted while it listens. */
function warningsNamed(name: string): { seen: Error[]; stop: () => void } {
  const seen: Error[] = [];
  const listener = (warning: Error): void => {
    if (warning.name === name) seen.push(warning);
  };
  process.on('warning', listener);
  return { seen, stop: () => process.off('warning', listener) };
}

describe('many waiters sharing one AbortSignal', () => {
  it('put ONE listener on the signal per limiter, and no MaxListenersExceededWarning', async () => {
    const warnings = warningsNamed('MaxListenersExceededWarning');
    const ac = new AbortController();
    const a = new RateLimitProperties({ maxCount: 1, interval: 1000, block: true });
    const b = new RateLimitProperties({ maxCount: 1, interval: 1000, block: true });
    const waits = [
      ...Array.from({ length: 1000 }, () => a.acquire({ signal: ac.signal })),
      ...Array.from({ length: 1000 }, () => b.acquire({ signal: ac.signal })),
    ].map((p) => p.catch((e: unknown) => e));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(0); // the warning is emitted on the next tick
    ac.abort();
    const outcomes = await Promise.all(waits);
    // the first of each limiter was granted at once; every other one was aborted
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(2);
    expect(outcomes.filter((o) => (o as Error)?.name === 'AbortError')).toHaveLength(1998);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect([a.stats.waiting, b.stats.waiting]).toEqual([0, 0]);
    expect(vi.getTimerCount()).toBe(0);
    warnings.stop();
    expect(warnings.seen).toEqual([]);
  });

  it('an abort rejects only the waiters of that signal, in order; the others keep their turn', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true });
    await limit.acquire();
    const shared = new AbortController();
    const own = new AbortController();
    const order: string[] = [];
    const waits = ['a', 'b', 'c', 'd', 'e'].map((name, i) =>
      limit
        .acquire({ signal: i % 2 === 0 ? shared.signal : i === 1 ? own.signal : undefined })
        .then(
          () => order.push(`${name} granted`),
          () => order.push(`${name} aborted`),
        ),
    );
    shared.abort();
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(waits);
    expect(order).toEqual(['a aborted', 'c aborted', 'e aborted', 'b granted', 'd granted']);
    expect(getEventListeners(own.signal, 'abort')).toHaveLength(0);
    expect(limit.stats.waiting).toBe(0);
  });

  it('the listener leaves the signal when its last waiter is served', async () => {
    const ac = new AbortController();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 100, block: true });
    await limit.acquire();
    const waits = [limit.acquire({ signal: ac.signal }), limit.acquire({ signal: ac.signal })];
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1); // one still waits
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(waits);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    // the signal can be used again
    const again = limit.acquire({ signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    await expect(again).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('100,000 waiters on one signal are all rejected by one abort', async () => {
    const ac = new AbortController();
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000, block: true });
    await limit.acquire();
    let rejected = 0;
    const waits = Array.from({ length: 100_000 }, () =>
      limit.acquire({ signal: ac.signal }).catch(() => rejected++),
    );
    expect(limit.stats.waiting).toBe(100_000);
    ac.abort();
    expect(limit.stats.waiting).toBe(0);
    await Promise.all(waits);
    expect(rejected).toBe(100_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});

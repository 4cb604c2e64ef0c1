import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RateLimitProperties } from '../src/index';
import { LoggingStore, countingClock, windowViolations } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A small seeded generator (mulberry32), so that a failing schedule can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCHEDULES = 15;

it(`${SCHEDULES} random schedules of callers, aborts and limit changes keep the window guarantee and FIFO order`, async () => {
  for (let seed = 1; seed <= SCHEDULES; seed++) {
    const rnd = random(seed);
    const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
    // mostly small limits (every grant timestamped), some large ones (batched stamping)
    const count = (): number => (rnd() < 0.8 ? int(1, 8) : int(200, 700));
    const store = new LoggingStore();
    const clock = countingClock();
    const limit = new RateLimitProperties({
      maxCount: count(),
      interval: int(5, 300),
      block: true,
      store,
      clock,
    });
    const duration = 2_000;
    const served: number[] = [];
    const pending: Promise<unknown>[] = [];
    const problems: string[] = [];
    let next = 0;

    const callers = int(20, 900);
    for (let i = 0; i < callers; i++) {
      const at = int(0, duration);
      const kind = rnd();
      setTimeout(() => {
        if (kind < 0.1) {
          const waiting = limit.stats.waiting;
          if (limit.tryAcquire() && waiting > 0) problems.push('tryAcquire jumped the queue');
          return;
        }
        const id = next++;
        const ac = kind < 0.25 ? new AbortController() : undefined;
        if (ac) setTimeout(() => ac.abort(), int(0, 400));
        pending.push(
          limit.acquire({ signal: ac?.signal }).then(
            () => served.push(id),
            (e: unknown) => {
              if (!ac || (e as Error).name !== 'AbortError')
                problems.push(`caller ${id}: ${String(e)}`);
            },
          ),
        );
      }, at);
    }
    const changes = int(0, 6);
    for (let i = 0; i < changes; i++) {
      setTimeout(
        () => {
          if (rnd() < 0.5) limit.maxCount = count();
          else limit.interval = int(5, 300);
        },
        int(0, duration),
      );
    }

    await vi.advanceTimersByTimeAsync(duration + 1);
    // let the queue drain under the last limit, then verify
    // (aborts may still be scheduled up to 400 ms after the last caller)
    const drainBy = duration + 401 + (limit.stats.waiting / limit.maxCount + 1) * limit.interval;
    await vi.advanceTimersByTimeAsync(drainBy - duration);
    await Promise.all(pending);

    expect(problems.slice(0, 3), `seed ${seed}`).toEqual([]);
    expect(windowViolations(store.grants), `seed ${seed}`).toEqual([]);
    const inversions = served.filter((id, i) => i > 0 && id < served[i - 1]!).length;
    expect(inversions, `seed ${seed}: FIFO inversions`).toBe(0);
    expect(store.grants.length, `seed ${seed}`).toBe(
      served.length + limit.stats.granted - served.length,
    );
    expect(limit.stats.waiting, `seed ${seed}`).toBe(0);
    expect(clock.maxPending, `seed ${seed}: timers at once`).toBeLessThanOrEqual(1);
    expect(clock.pending, `seed ${seed}: timers when idle`).toBe(0);
    expect(vi.getTimerCount(), `seed ${seed}`).toBe(0);
  }
});

import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/index';
import { SharedMemoryRateLimitStore } from '../src/index';
import { largestWindowCount } from './helpers';

// Each copy of the store (what a worker thread builds with from()) has its own place in the line;
// here the copies live in one thread and ask at chosen times, so every turn is deterministic.
const at = (t: number): Pick<Clock, 'now'> => ({ now: () => t });

function copies(n: number, capacity?: number): SharedMemoryRateLimitStore[] {
  const store = new SharedMemoryRateLimitStore(capacity === undefined ? {} : { capacity });
  return [
    store,
    ...Array.from({ length: n - 1 }, () => SharedMemoryRateLimitStore.from(store.toShared())),
  ];
}

/** Asks `store` at `t` until it refuses: how many it was granted. */
function drain(
  store: SharedMemoryRateLimitStore,
  t: number,
  maxCount: number,
  interval: number,
): number {
  let granted = 0;
  while (store.take(at(t), maxCount, interval) <= 0) granted++;
  return granted;
}

describe('the line of a SharedMemoryRateLimitStore', () => {
  it('gives a freed slot to the copy refused first, not to the first to ask; the wait it answers the other is the grace', () => {
    const [a, b, c] = copies(3);
    expect(a!.take(at(0), 1, 1000)).toBe(0);
    expect(b!.take(at(10), 1, 1000)).toBe(990); // refused first: first in line
    // c is owed nothing before b is served: it can only be granted if b lets its turn lapse, 50 ms
    // after the time b was told to ask again.
    expect(c!.take(at(20), 1, 1000)).toBe(1030);
    // The slot frees at 1000. c asks first, and is told to wait until b's turn lapses.
    expect(c!.take(at(1000), 1, 1000)).toBe(50);
    expect(b!.take(at(1001), 1, 1000)).toBe(0);
    expect(c!.take(at(1002), 1, 1000)).toBe(999); // now the window decides
    expect(c!.take(at(2001), 1, 1000)).toBe(0);
  });

  it('still grants a copy at once when the window has room for it and for everyone ahead', () => {
    const [a, b, c] = copies(3);
    expect(a!.take(at(0), 2, 1000)).toBe(0);
    expect(a!.take(at(0), 2, 1000)).toBe(0);
    expect(b!.take(at(10), 2, 1000)).toBe(990);
    // Both slots free at 1000: one is b's, the other is anyone's.
    expect(c!.take(at(1000), 2, 1000)).toBe(0);
    expect(c!.take(at(1000), 2, 1000)).toBeGreaterThan(0);
    expect(b!.take(at(1001), 2, 1000)).toBe(0);
  });

  it('splits a burst of room evenly among the waiting copies, whoever wakes first', () => {
    const [a, b, c, d] = copies(4);
    expect(drain(a!, 0, 12, 1000)).toBe(12); // nobody else asked yet
    for (const s of [b!, c!, d!]) expect(s.take(at(1), 12, 1000)).toBeGreaterThan(0);
    // All 12 slots free at 1000; a wakes first and could take them all.
    const shares = [
      drain(a!, 1000, 12, 1000),
      drain(b!, 1001, 12, 1000),
      drain(c!, 1002, 12, 1000),
      drain(d!, 1003, 12, 1000),
    ];
    expect(shares).toEqual([3, 3, 3, 3]);
  });

  it('a copy that stopped asking holds its turn until RETRY_GRACE_MS after its retry time', () => {
    const [a, b, c] = copies(3);
    expect(a!.take(at(0), 1, 1000)).toBe(0);
    expect(b!.take(at(10), 1, 1000)).toBe(990); // b never asks again (a thread that was terminated)
    expect(c!.take(at(20), 1, 1000)).toBe(1030);
    expect(c!.take(at(1000), 1, 1000)).toBe(50);
    expect(c!.take(at(1049.5), 1, 1000)).toBe(0.5);
    expect(c!.take(at(1050), 1, 1000)).toBe(0);
    expect(largestWindowCount(a!.recentGrants(), 1000)).toBe(1);
  });

  it('a copy that comes back after its turn lapsed keeps its place in line', () => {
    const [a, b, c] = copies(3);
    expect(a!.take(at(0), 1, 1000)).toBe(0);
    expect(b!.take(at(10), 1, 1000)).toBe(990);
    expect(c!.take(at(20), 1, 1000)).toBe(1030);
    expect(c!.take(at(1050), 1, 1000)).toBe(0); // b let its turn lapse: c takes the slot
    // b comes back late (its timer fired late, on a busy machine): still first in line, it is
    // owed the next slot, which c, asking first, may not take.
    expect(b!.take(at(1100), 1, 1000)).toBe(950);
    expect(c!.take(at(2050), 1, 1000)).toBe(50);
    expect(b!.take(at(2051), 1, 1000)).toBe(0);
  });

  it('forgets a copy that has not asked for interval + 1 s, and decides on the fast path again', () => {
    const [a, b, c] = copies(3);
    // The third header word after the ring's head and size counts the entries in line.
    const entries = (): number => Atomics.load(new Int32Array(a!.toShared().buffer, 0, 8), 6);
    expect(a!.take(at(0), 1, 1000)).toBe(0);
    expect(b!.take(at(10), 1, 1000)).toBe(990); // b never asks again
    expect(entries()).toBe(1);
    expect(c!.take(at(1500), 1, 1000)).toBe(0); // b's turn lapsed; it is still remembered
    expect(entries()).toBe(1);
    expect(c!.take(at(3011), 1, 1000)).toBe(0); // 10 + 1000 + 1000 < 3011: forgotten
    expect(entries()).toBe(0);
  });

  it('forgets the line on clear()', () => {
    const [a, b] = copies(2);
    expect(a!.take(at(0), 1, 1000)).toBe(0);
    expect(b!.take(at(10), 1, 1000)).toBe(990);
    a!.clear();
    expect(a!.take(at(20), 1, 1000)).toBe(0);
  });

  it('with more waiting copies than places in line (64), decides for the rest under the window bound', () => {
    const stores = copies(70, 200);
    expect(stores[0]!.take(at(0), 1, 100)).toBe(0);
    for (const [i, s] of stores.entries())
      expect(s.take(at(1 + i * 0.01), 1, 100)).toBeGreaterThan(0);
    let granted = 0;
    for (let t = 100; t < 8000; t += 7) {
      for (const s of stores) if (s.take(at(t), 1, 100) <= 0) granted++;
    }
    expect(granted).toBeGreaterThan(60);
    expect(largestWindowCount(stores[0]!.recentGrants(), 100)).toBe(1);
  });
});

import { isMainThread } from 'node:worker_threads';
import { GENERATION, LOCK } from './layout';

/** A lock held longer than this was left by a thread that died inside its critical section. */
const STUCK_LOCK_MS = 1000;

/** Whether this thread may sleep in `Atomics.wait`: never the main thread. */
const canSleep = !isMainThread;

/**
 * Takes the lock word, a futex-style mutex (0 free, 1 held, 2 held with sleepers). The holder
 * keeps it for a few hundred nanoseconds, so a contender spins a little first. When the holder
 * was descheduled (more threads than cores), spinning would burn whole time slices: a worker
 * thread then sleeps in `Atomics.wait` until the holder's release wakes it; the main thread, which
 * must never block, keeps spinning (it waits at most for the holder's time slice). A lock held by
 * one holder for more than a second (a thread terminated inside its critical section) is taken over.
 */
export function lock(words: Int32Array): void {
  if (Atomics.compareExchange(words, LOCK, 0, 1) === 0) {
    Atomics.add(words, GENERATION, 1);
    return;
  }
  for (let spins = 0; spins < 100; spins++) {
    if (Atomics.load(words, LOCK) === 0 && Atomics.compareExchange(words, LOCK, 0, 1) === 0) {
      Atomics.add(words, GENERATION, 1);
      return;
    }
  }
  let since = 0;
  let generation = 0;
  for (let rounds = 1; ; rounds++) {
    // Mark the lock contended (2), so that its release wakes a sleeper; acquire it if free.
    if (Atomics.exchange(words, LOCK, 2) === 0) {
      Atomics.add(words, GENERATION, 1);
      return;
    }
    if (canSleep) Atomics.wait(words, LOCK, 2, 10);
    if (canSleep || (rounds & 0x3ff) === 0) {
      const t = performance.now();
      const g = Atomics.load(words, GENERATION);
      if (since === 0 || g !== generation) {
        since = t;
        generation = g;
      } else if (
        t - since > STUCK_LOCK_MS &&
        Atomics.compareExchange(words, GENERATION, g, g + 1) === g
      ) {
        // Held by one holder for a second: it died inside the critical section
        // (worker.terminate()). The lock word stays set: it is ours now.
        return;
      }
    }
  }
}

/** Releases the lock word, waking one sleeper if it was marked contended. */
export function unlock(words: Int32Array): void {
  if (Atomics.exchange(words, LOCK, 0) === 2) Atomics.notify(words, LOCK, 1);
}

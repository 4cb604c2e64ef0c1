import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';

/** A key no other test uses. */
export const uniqueKey = (name: string): string => `test:${name}:${randomBytes(4).toString('hex')}`;

const clients: Redis[] = [];

/** A client on `url`, disconnected after the test. */
export function client(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 1 });
  c.on('error', () => undefined); // connection errors are what some tests are about
  clients.push(c);
  return c;
}

afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

/**
 * The largest number of times in any window of `length` (half-open, `(t - length, t]`, as the
 * guarantee reads).
 */
export function largestWindowCount(times: readonly number[], length: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= length) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

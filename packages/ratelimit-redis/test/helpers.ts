import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';

/** One definition for every rate-limit test and benchmark: the repository's test/windows.mjs. */
export { largestWindowCount } from '../../../test/windows.mjs';

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

import { expect, test } from 'vitest';
import { RateLimitProperties } from '../src/index';

// Real timers, bounded waits: what keeps a Node process alive is what counts here.
const timeouts = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('an idle limiter holds no timer; a waiting acquisition holds one until it is served', async () => {
  const before = timeouts();
  const limit = new RateLimitProperties({ maxCount: 2, interval: 40, block: true });
  await limit.acquire();
  await limit.acquire();
  expect(timeouts()).toBe(before);
  const t0 = performance.now();
  const waits = [limit.acquire(), limit.acquire(), limit.acquire()];
  expect(timeouts()).toBe(before + 1);
  await Promise.all(waits);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
  expect(performance.now() - t0).toBeLessThan(2_000);
  expect(timeouts()).toBe(before);
  expect(limit.stats).toMatchObject({ granted: 5, waiting: 0 });
});

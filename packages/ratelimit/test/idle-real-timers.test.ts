import { expect, it } from 'vitest';
import { RateLimitProperties } from '../src/index';

// Real timers, bounded waits: what keeps a Node process alive is what counts here.
const timeouts = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

it('an idle limiter holds no timer; a waiting acquisition holds one until it is served', async () => {
  // (the test runner's own timers come and go: compare counts taken right before and after)
  const before = timeouts();
  const limit = new RateLimitProperties({ maxCount: 2, interval: 300, block: true });
  await limit.acquire();
  await limit.acquire();
  expect(timeouts()).toBeLessThanOrEqual(before);
  const idle = timeouts();
  const t0 = performance.now();
  const waits = [limit.acquire(), limit.acquire(), limit.acquire()];
  expect(timeouts()).toBe(idle + 1);
  await Promise.all(waits);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  expect(performance.now() - t0).toBeLessThan(5_000);
  expect(timeouts()).toBeLessThanOrEqual(before);
  expect(limit.stats).toMatchObject({ granted: 5, waiting: 0 });
});

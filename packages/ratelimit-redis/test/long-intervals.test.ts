import { MAX_DURATION_MS, RateLimitProperties } from '@cs/ratelimit';
import { afterEach, expect, inject, it } from 'vitest';
import { RedisRateLimitStore } from '../src/index';
import { client, uniqueKey } from './helpers';

const url = inject('redisUrl');
const stores: RedisRateLimitStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function store(key: string): RedisRateLimitStore {
  const s = new RedisRateLimitStore({ client: client(url), key, subscribe: false });
  stores.push(s);
  return s;
}

/** Collects the TimeoutOverflowWarnings emitted while it listens. */
function overflowWarnings(): { seen: Error[]; stop: () => void } {
  const seen: Error[] = [];
  const listener = (warning: Error): void => {
    if (warning.name === 'TimeoutOverflowWarning') seen.push(warning);
  };
  process.on('warning', listener);
  return { seen, stop: () => process.off('warning', listener) };
}

it('a limiter waiting 30 days on a Redis store asks Redis once, not every millisecond', async () => {
  const warnings = overflowWarnings();
  const s = store(uniqueKey('30d'));
  const limit = new RateLimitProperties({ maxCount: 1, interval: '30d', block: true, store: s });
  await limit.acquire();
  const ac = new AbortController();
  const waiting = limit.acquire({ signal: ac.signal }).catch((e: unknown) => e);
  // bounded real wait: long enough for a few hundred 1 ms timers, had the wait overflowed
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(s.stats.decisions).toBe(2);
  ac.abort();
  expect(await waiting).toMatchObject({ name: 'AbortError' });
  warnings.stop();
  expect(warnings.seen).toEqual([]);
});

it('the longest interval (100 years) is decided exactly by the script', async () => {
  const s = store(uniqueKey('100y'));
  const clock = { now: () => performance.now() };
  expect(await s.take(clock, 1, MAX_DURATION_MS)).toBe(0);
  const wait = await s.take(clock, 1, MAX_DURATION_MS);
  expect(wait).toBeGreaterThan(MAX_DURATION_MS - 60_000);
  // recorded at the end of its hold and of the time its caller has to use it (at most 1 s each)
  expect(wait).toBeLessThanOrEqual(MAX_DURATION_MS + 2000);
  // the keys expire after the interval, as for any limit
  const ttl = await client(url).pttl(s.key);
  expect(ttl).toBeGreaterThan(MAX_DURATION_MS - 60_000);
});

it('setLimit and the fallback refuse counts and durations that are not usable', async () => {
  const s = store(uniqueKey('bounds'));
  await expect(s.setLimit(2 ** 53, 1000)).rejects.toMatchObject({ name: 'RateLimitConfigError' });
  await expect(s.setLimit(5, '9'.repeat(400))).rejects.toMatchObject({
    name: 'RateLimitConfigError',
    key: 'interval',
  });
  expect(
    () =>
      new RedisRateLimitStore({
        client: url,
        key: 'k',
        fallback: { maxCount: 1e300, interval: 1000 },
      }),
  ).toThrow(/fallback\.maxCount/);
  expect(
    () =>
      new RedisRateLimitStore({
        client: url,
        key: 'k',
        fallback: { maxCount: 5, interval: Infinity },
      }),
  ).toThrow(/interval: Infinity/);
});

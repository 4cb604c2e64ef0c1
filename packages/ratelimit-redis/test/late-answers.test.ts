import { RateLimitProperties, systemClock } from '@cs/ratelimit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RedisRateLimitStore } from '../src/index';
import { client, largestWindowCount, uniqueKey } from './helpers';

const url = inject('redisUrl');
const stores: RedisRateLimitStore[] = [];
const track = (store: RedisRateLimitStore): RedisRateLimitStore => (stores.push(store), store);
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** Keeps this process's event loop busy for `ms`, as a worker building clients or collecting garbage does. */
const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the answers Redis sends meanwhile wait in the socket
  }
};

describe('a process slow to read the answers of Redis', () => {
  it('never lets callers receive more than maxCount grants in a window: a grant read after its hold is given up and asked for again', async () => {
    const key = uniqueKey('late');
    // A busy process: 5 limits (5 regions of one account, say) with one shared operation budget of
    // 5 a second, each its own store on one connection (as a worker has them).
    const busyClient = client(url);
    await busyClient.ping(); // connected, so that the decisions leave at once
    const busyStores = Array.from({ length: 5 }, () =>
      track(new RedisRateLimitStore({ client: busyClient, key, subscribe: false })),
    );
    // Redis knows the script: the decisions are made at the first request
    await track(new RedisRateLimitStore({ client: busyClient, key: uniqueKey('warm') })).take(
      systemClock,
      5,
      1000,
    );
    const received: number[] = [];
    const limits = busyStores.map(
      (store) => new RateLimitProperties({ maxCount: 5, interval: 1000, block: true, store }),
    );
    const first = Promise.all(
      limits.map((limit) => limit.acquire().then(() => received.push(performance.now()))),
    );
    // Redis decides all 5 now; this process reads the answers 400 ms later.
    busy(400);
    await first;
    // the grants given up were removed from the log: only the 5 used are recorded
    expect(await busyClient.zcard(key)).toBe(5);
    // Another process (its own connection) asks for 5 more as soon as the busy one has its 5.
    const other = new RateLimitProperties({
      maxCount: 5,
      interval: 1000,
      block: true,
      store: track(new RedisRateLimitStore({ client: client(url), key, subscribe: false })),
    });
    await Promise.all(
      Array.from({ length: 5 }, () => other.acquire().then(() => received.push(performance.now()))),
    );
    expect(received).toHaveLength(10);
    // Had the busy process used the grants it read late, the other process would have received
    // its 5 one interval after Redis decided the first ones: 10 in 600 ms at the callers.
    expect(largestWindowCount(received, 1000)).toBeLessThanOrEqual(5);
    const late = busyStores.reduce((n, s) => n + s.stats.lateAnswers, 0);
    expect(late).toBeGreaterThanOrEqual(5);
  });
});

describe('the keys of a limit', () => {
  it('outlive every grant recorded in them: a later decision with a shorter hold does not shorten their life', async () => {
    const key = uniqueKey('ttl');
    const redis = client(url);
    const leasing = track(new RedisRateLimitStore({ client: redis, key, subscribe: false }));
    const other = track(
      new RedisRateLimitStore({ client: client(url), key, leases: false, subscribe: false }),
    );
    // quick decisions far below the limit: the second one leases slots, recorded 100 ms ahead
    expect(await leasing.take(systemClock, 1600, 1000)).toBe(0);
    expect(await leasing.take(systemClock, 1600, 1000)).toBe(0);
    const leased = await redis.zcard(key);
    expect(leased).toBeGreaterThan(2);
    // another process decides once, without a lease
    expect(await other.take(systemClock, 1600, 1000)).toBe(0);
    // the lives left first, then Redis's time: the time a window needs can only have shrunk since
    const lives = [await redis.pttl(key), await redis.pttl(`${key}:meta`)];
    const newest = Number((await redis.zrange(key, -1, -1, 'WITHSCORES'))[1]);
    const [seconds, micros] = await redis.time();
    const redisNowUs = Number(seconds) * 1_000_000 + Number(micros);
    // the newest grant counts until one interval after its time: the keys must live that long
    const needed = (newest + 1_000_000 - redisNowUs) / 1000;
    expect(needed).toBeGreaterThan(1000);
    for (const life of lives) expect(life).toBeGreaterThanOrEqual(Math.floor(needed));
  });
});

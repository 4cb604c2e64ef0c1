import { RateLimitProperties, isRateLimitError, systemClock } from '@cs/ratelimit';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { RedisDecisionEvent } from '../src/index';
import {
  RateLimitStoreError,
  RedisRateLimitStore,
  createRedisRateLimitStore,
  isRateLimitStoreError,
} from '../src/index';
import { client, largestWindowCount, uniqueKey } from './helpers';

const url = inject('redisUrl');
const stores: RedisRateLimitStore[] = [];
const track = (store: RedisRateLimitStore): RedisRateLimitStore => (stores.push(store), store);
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

describe('decisions in Redis', () => {
  it('grants maxCount, then answers a wait in milliseconds with sub-second precision', async () => {
    const store = track(new RedisRateLimitStore({ client: client(url), key: uniqueKey('take') }));
    expect(store.synchronous).toBe(false);
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) expect(await store.take(systemClock, 3, 500)).toBe(0);
    const wait = await store.take(systemClock, 3, 500);
    const elapsed = performance.now() - t0;
    expect(wait).toBeGreaterThan(0);
    // grants are recorded at the end of their hold (at most a quarter of the interval) and of the
    // time their caller has to use them (1 % of the interval, at least 2 ms)
    expect(wait).toBeLessThanOrEqual(500 + 500 / 4 + 5);
    // the first grant leaves the window 500 ms after it was made
    expect(wait).toBeGreaterThanOrEqual(500 - elapsed - 1);
    // Redis's clock in microseconds: the wait is not rounded to whole seconds or milliseconds
    expect(Number.isInteger(wait)).toBe(false);
    expect(store.stats).toMatchObject({ decisions: 4, granted: 3, refused: 1, errors: 0 });
  });

  it('records grants on Redis time, in the sorted set named by the key', async () => {
    const key = uniqueKey('log');
    const events: RedisDecisionEvent[] = [];
    const redis = client(url);
    const store = track(
      new RedisRateLimitStore({ client: redis, key, onDecision: (e) => events.push(e) }),
    );
    await store.take(systemClock, 5, 1000);
    await store.take(systemClock, 5, 1000);
    const [seconds, micros] = await redis.time();
    const redisNow = Number(seconds) * 1000 + Number(micros) / 1000;
    const members = await redis.zrange(key, 0, -1, 'WITHSCORES');
    expect(members).toHaveLength(4);
    expect(events.map((e) => e.granted)).toEqual([true, true]);
    for (const e of events) {
      expect(e.time).toBeGreaterThan(redisNow - 1000);
      // recorded at the end of the hold: the time by which its caller had it
      expect(e.time).toBeLessThanOrEqual(redisNow + 1000 / 4 + 10);
    }
    expect(Number(members[1]) / 1000).toBe(events[0]!.time);
  });

  it('loads its script with EVAL when Redis has forgotten it (SCRIPT FLUSH), then uses EVALSHA', async () => {
    const redis = client(url);
    const store = track(new RedisRateLimitStore({ client: redis, key: uniqueKey('flush') }));
    await redis.script('FLUSH');
    const evalSpy = vi.spyOn(redis, 'eval');
    expect(await store.take(systemClock, 2, 1000)).toBe(0);
    expect(await store.take(systemClock, 2, 1000)).toBe(0);
    expect(evalSpy).toHaveBeenCalledTimes(1);
  });

  it('lets the keys expire one interval after the last grant (and its hold)', async () => {
    const key = uniqueKey('expire');
    const redis = client(url);
    const store = track(new RedisRateLimitStore({ client: redis, key }));
    await store.take(systemClock, 2, 200);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(201 + 200 / 4 + 2);
    expect(await redis.pttl(`${key}:meta`)).toBeGreaterThan(0);
    await vi.waitFor(
      async () => {
        expect(await redis.exists(key, `${key}:meta`)).toBe(0);
      },
      { timeout: 2000, interval: 50 },
    );
  });

  it('clear() forgets the grants of every process', async () => {
    const key = uniqueKey('clear');
    const a = track(new RedisRateLimitStore({ client: client(url), key }));
    const b = track(new RedisRateLimitStore({ client: client(url), key }));
    expect(await a.take(systemClock, 1, 60_000)).toBe(0);
    expect(await b.take(systemClock, 1, 60_000)).toBeGreaterThan(59_000);
    await b.clear();
    expect(await a.take(systemClock, 1, 60_000)).toBe(0);
  });
});

describe('leases far below the limit', () => {
  it('a busy process takes a few slots per script call while the window is under half full, recorded late, never more than the limit', async () => {
    const key = uniqueKey('lease');
    const redis = client(url);
    const events: RedisDecisionEvent[] = [];
    const store = track(
      new RedisRateLimitStore({ client: redis, key, onDecision: (e) => events.push(e) }),
    );
    const scripts = vi.spyOn(redis, 'evalsha');
    // a window long enough to hold the whole test, however slow the machine
    let granted = 0;
    while ((await store.take(systemClock, 160, 10_000)) === 0) granted++;
    // a lease is at most 10 slots (160 / 16), and only while under 80 in the window
    expect(granted).toBe(160);
    expect(scripts.mock.calls.length).toBeLessThan(160);
    expect(scripts.mock.calls.length).toBeGreaterThanOrEqual(80);
    const times = events.filter((e) => e.granted).map((e) => e.time!);
    expect(largestWindowCount(times, 10_000)).toBe(160);
    const members = await redis.zrange(key, 0, -1, 'WITHSCORES');
    expect(members.length / 2).toBe(160);
  });

  it('a lone acquisition never leases, and a limit change drops a lease', async () => {
    const key = uniqueKey('nolease');
    const redis = client(url);
    const store = track(new RedisRateLimitStore({ client: redis, key, subscribe: false }));
    expect(await store.take(systemClock, 1600, 1000)).toBe(0);
    // a lease would last 100 ms (interval / 4, at most 100 ms): this one comes later
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.take(systemClock, 1600, 1000)).toBe(0);
    expect(await redis.zcard(key)).toBe(2);
    expect(await store.take(systemClock, 1600, 1000)).toBe(0); // quick: leases 64 more
    expect(await redis.zcard(key)).toBe(3 + 64);
    await store.setLimit(3, 1000);
    // the lease was taken under 1600 per second: the new limit refuses at once
    expect(await store.take(systemClock, 1600, 1000)).toBeGreaterThan(0);
  });

  it('a process refused in the last interval does not lease, so a saturated limit stays exact', async () => {
    const key = uniqueKey('refusedlease');
    const redis = client(url);
    const store = track(new RedisRateLimitStore({ client: redis, key, subscribe: false }));
    const other = track(new RedisRateLimitStore({ client: client(url), key, leases: false }));
    for (let i = 0; i < 32; i++) expect(await other.take(systemClock, 32, 10_000)).toBe(0);
    expect(await store.take(systemClock, 32, 10_000)).toBeGreaterThan(0); // refused
    // far below a larger limit, quick decisions would lease 64 (1600 / 16) if not just refused
    // (a limit for every store: two stores of one key may not ask for different limits)
    await other.setLimit(1600, 10_000);
    expect(await store.take(systemClock, 1600, 10_000)).toBe(0);
    expect(await store.take(systemClock, 1600, 10_000)).toBe(0);
    expect(await store.take(systemClock, 1600, 10_000)).toBe(0);
    expect(await redis.zcard(key)).toBe(35);
  });

  it('leases: false asks Redis for every slot', async () => {
    const key = uniqueKey('noleases');
    const redis = client(url);
    const store = track(new RedisRateLimitStore({ client: redis, key, leases: false }));
    const scripts = vi.spyOn(redis, 'evalsha');
    for (let i = 0; i < 20; i++) expect(await store.take(systemClock, 1600, 1000)).toBe(0);
    // one script per slot, and one more for each answer that came too late to be used
    expect(scripts).toHaveBeenCalledTimes(20 + store.stats.lateAnswers);
    expect(await redis.zcard(key)).toBe(20);
  });
});

describe('a RateLimitProperties on the Redis store', () => {
  it('serves blocking callers first-in first-out within the process', async () => {
    const store = track(new RedisRateLimitStore({ client: client(url), key: uniqueKey('fifo') }));
    const limit = new RateLimitProperties({ maxCount: 5, interval: 200, block: true, store });
    const served: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, (_, i) => limit.acquire().then(() => served.push(i))),
    );
    expect(served).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('waits locally for the time the script answers: at most about two decisions per grant, no polling', async () => {
    const events: RedisDecisionEvent[] = [];
    const store = track(
      new RedisRateLimitStore({
        client: client(url),
        key: uniqueKey('storm'),
        onDecision: (e) => events.push(e),
      }),
    );
    const limit = new RateLimitProperties({ maxCount: 10, interval: 300, block: true, store });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 40 }, () => limit.acquire()));
    const elapsed = performance.now() - t0;
    const times = events.filter((e) => e.granted).map((e) => e.time!);
    expect(times).toHaveLength(40);
    expect(largestWindowCount(times, 300)).toBeLessThanOrEqual(10);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 300 - 5);
    // a refused head waiter sleeps until the oldest grant leaves the window, then asks once: at
    // most about one refusal per grant (grants spaced a round trip apart free one by one), never
    // a polling storm of thousands
    const refusals = events.filter((e) => !e.granted).length;
    expect(refusals).toBeGreaterThanOrEqual(3);
    expect(refusals).toBeLessThanOrEqual(40 + 10);
    expect(events).toHaveLength(40 + refusals);
  });

  it('rejects a non-blocking caller with RateLimitExceeded once the budget is used', async () => {
    const store = track(new RedisRateLimitStore({ client: client(url), key: uniqueKey('nb') }));
    const limit = new RateLimitProperties({ maxCount: 2, interval: 60_000, store });
    await limit.acquire();
    await limit.acquire();
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
  });
});

describe('limits changed at run time', () => {
  it('setLimit() applies in every process from the next decision, whatever values callers pass', async () => {
    const key = uniqueKey('set');
    const a = track(new RedisRateLimitStore({ client: client(url), key, subscribe: false }));
    const b = track(new RedisRateLimitStore({ client: client(url), key, subscribe: false }));
    const limit = await a.setLimit(2, '1s');
    expect(limit).toMatchObject({ maxCount: 2, interval: 1000 });
    expect(await b.getLimit()).toEqual(limit);
    expect(await b.take(systemClock, 100, 1000)).toBe(0);
    expect(await b.take(systemClock, 100, 1000)).toBe(0);
    expect(await b.take(systemClock, 100, 1000)).toBeGreaterThan(0);
    expect(b.sharedLimit).toEqual(limit);
    await a.clearLimit();
    expect(await b.getLimit()).toBeUndefined();
    expect(await b.take(systemClock, 100, 1000)).toBe(0);
  });

  it("attach() keeps every process's limiter in step, at once through pub/sub, and re-examines waiters", async () => {
    const key = uniqueKey('attach');
    const a = track(new RedisRateLimitStore({ client: client(url), key }));
    const b = track(new RedisRateLimitStore({ client: client(url), key }));
    const limitA = new RateLimitProperties({
      maxCount: 1,
      interval: 60_000,
      block: true,
      store: a,
    });
    const limitB = new RateLimitProperties({
      maxCount: 1,
      interval: 60_000,
      block: true,
      store: b,
    });
    a.attach(limitA);
    b.attach(limitB);
    const changes: number[] = [];
    b.onLimitChange((l) => changes.push(l.maxCount));
    await limitA.acquire();
    const waiting = limitB.acquire(); // a minute's wait under the old limit
    await vi.waitFor(() => expect(limitB.stats.waiting).toBe(1), { timeout: 5000 });
    await vi.waitFor(
      async () =>
        expect(await a.client.pubsub('NUMSUB', `${key}:limit`)).toEqual([`${key}:limit`, 2]),
      { timeout: 5000 },
    );
    await a.setLimit(5, 500);
    await waiting; // served at once: the change reached process B and re-examined its waiter
    expect(limitB.maxCount).toBe(5);
    expect(limitB.interval).toBe(500);
    expect(changes).toEqual([5]);
    // a store attached later starts from the shared limit
    const c = track(new RedisRateLimitStore({ client: client(url), key, subscribe: false }));
    const limitC = new RateLimitProperties({ maxCount: 1, interval: 1, store: c });
    c.attach(limitC);
    await vi.waitFor(() => expect(limitC.maxCount).toBe(5), { timeout: 5000 });
    await expect(a.setLimit(-1, 10)).rejects.toThrow(/invalid rate limit setting maxCount: -1/);
  });
});

describe('createRedisRateLimitStore', () => {
  it('builds a store that owns its connection from { url, key }, and closes it', async () => {
    const store = createRedisRateLimitStore({ url, key: uniqueKey('create') });
    expect(await store.take(systemClock, 1, 1000)).toBe(0);
    await store.close();
    expect(store.client.status).toBe('end');
    const error: unknown = await store.take(systemClock, 1, 1000).catch((e: unknown) => e);
    expect(isRateLimitStoreError(error)).toBe(true);
    expect((error as Error).message).toMatch(/is closed/);
  });

  it('refuses an invalid spec, naming the setting and never echoing the URL', () => {
    expect(() =>
      createRedisRateLimitStore({ url: 'http://user:SECRETFIXTURE-s3cret@host', key: 'k' }),
    ).toThrow(/^invalid rate limit setting store\.redis\.url \(a redis:\/\/ or rediss:\/\/ URL/);
    try {
      createRedisRateLimitStore({ url: 'http://user:SECRETFIXTURE-s3cret@host', key: 'k' });
    } catch (e) {
      expect(String(e)).not.toContain('s3cret');
    }
    expect(() => createRedisRateLimitStore({ url, key: '' })).toThrow(/store\.redis\.key/);
    expect(() => new RedisRateLimitStore({ client: client(url), key: 'k', timeoutMs: -5 })).toThrow(
      /timeoutMs: -5/,
    );
    expect(
      () =>
        new RedisRateLimitStore({
          client: client(url),
          key: 'k',
          fallback: { maxCount: 0, interval: 10 },
        }),
    ).toThrow(/fallback\.maxCount/);
  });
});

describe('RateLimitStoreError', () => {
  it('is a RateLimitError of @cs/ratelimit with a name, a key, a cause and a guard', () => {
    const cause = Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED', extra: 1 });
    const error = new RateLimitStoreError('Redis down', 'api', cause);
    expect(error.name).toBe('RateLimitStoreError');
    expect(error.key).toBe('api');
    // a copy with the name, the message and the code only
    expect(error.cause).not.toBe(cause);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({
      name: 'Error',
      message: 'ECONNREFUSED',
      code: 'ECONNREFUSED',
    });
    expect((error.cause as { extra?: unknown }).extra).toBeUndefined();
    expect(isRateLimitError(error)).toBe(true);
    expect(isRateLimitStoreError(error)).toBe(true);
    expect(isRateLimitStoreError(new Error('x'))).toBe(false);
  });
});

import { RateLimitProperties, isRateLimitError } from '@cs/ratelimit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  RedisRateLimitStore,
  isRateLimitKeyConflictError,
  isRateLimitStoreError,
} from '../src/index';
import { client, uniqueKey } from './helpers';

const url = inject('redisUrl');
const stores: RedisRateLimitStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A store on its own connection: as far as Redis can tell, another process. */
function processStore(
  key: string,
  options: Partial<ConstructorParameters<typeof RedisRateLimitStore>[0]> = {},
): RedisRateLimitStore {
  const store = new RedisRateLimitStore({ client: client(url), key, subscribe: false, ...options });
  stores.push(store);
  return store;
}

/** Runs `callers` blocking callers on `limit` for `ms`; counts grants and errors by name. */
async function hammer(
  limit: RateLimitProperties,
  callers: number,
  ms: number,
): Promise<{ granted: number; errors: Map<string, number>; first: unknown }> {
  const signal = AbortSignal.timeout(ms);
  const errors = new Map<string, number>();
  let granted = 0;
  let first: unknown;
  const caller = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        await limit.acquire({ signal });
        granted++;
      } catch (e) {
        if (signal.aborted) return;
        first ??= e;
        const name = (e as Error).name;
        errors.set(name, (errors.get(name) ?? 0) + 1);
        // a refused caller tries again later, as an application would
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  return { granted, errors, first };
}

describe('one Redis key used with two different limits', () => {
  it('the second limit is refused with a RateLimitKeyConflictError naming the key and both limits, never starved silently', async () => {
    const key = uniqueKey('conflict');
    const five = new RateLimitProperties({
      maxCount: 5,
      interval: 1000,
      block: true,
      store: processStore(key),
    });
    const fifteen = new RateLimitProperties({
      maxCount: 15,
      interval: 1000,
      block: true,
      store: processStore(key),
    });
    await five.acquire(); // the key is in use with 5 per 1000 ms
    const [a, b] = await Promise.all([hammer(five, 5, 1500), hammer(fifteen, 5, 1500)]);
    // 5 per second over 1.5 s (the first grant included): 5 + 5, never more
    expect(a.granted + 1).toBeGreaterThanOrEqual(5);
    expect(a.granted + 1).toBeLessThanOrEqual(10);
    expect(a.errors.size).toBe(0);
    expect(b.granted).toBe(0);
    expect([...b.errors.keys()]).toEqual(['RateLimitKeyConflictError']);
    const error = b.first;
    expect(isRateLimitKeyConflictError(error)).toBe(true);
    expect(isRateLimitError(error)).toBe(true);
    expect(isRateLimitStoreError(error)).toBe(false);
    expect(error).toMatchObject({
      key,
      maxCount: 15,
      interval: 1000,
      keyMaxCount: 5,
      keyInterval: 1000,
    });
    expect((error as Error).message).toBe(
      `Redis rate-limit store "${key}": this store asks for 15 per 1000 ms, but the key is in use with 5 per 1000 ms by another store; the acquisition was refused. One key is one limit: give every process the same maxCount and interval, use another key for another limit, or set one limit for every process with store.setLimit()`,
    );
  });

  it('is refused whichever interval differs, and goes to neither the fallback nor the errors count', async () => {
    const key = uniqueKey('conflict-interval');
    const first = processStore(key);
    const second = processStore(key, { fallback: { maxCount: 100, interval: 1000 } });
    const clock = { now: () => performance.now() };
    expect(await first.take(clock, 5, 1000)).toBe(0);
    await expect(second.take(clock, 5, 2000)).rejects.toMatchObject({
      name: 'RateLimitKeyConflictError',
      keyMaxCount: 5,
      keyInterval: 1000,
    });
    expect(second.stats).toMatchObject({ errors: 0, fallbackDecisions: 0, granted: 0 });
    expect(second.down).toBe(false);
    // the same limit is fine
    expect(await second.take(clock, 5, 1000)).toBe(0);
  });

  it('a store may change its own limit at run time while no other store uses the key', async () => {
    const key = uniqueKey('conflict-own');
    const store = processStore(key);
    const limit = new RateLimitProperties({ maxCount: 2, interval: 1000, store });
    await limit.acquire();
    await limit.acquire();
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    limit.maxCount = 3;
    await limit.acquire();
    limit.interval = 500;
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
  });

  it('a store may not change the limit while another store still uses it; once unused for its interval, it may', async () => {
    const key = uniqueKey('conflict-change');
    const a = processStore(key);
    const b = processStore(key);
    const clock = { now: () => performance.now() };
    expect(await a.take(clock, 5, 200)).toBe(0);
    expect(await b.take(clock, 5, 200)).toBe(0);
    await expect(a.take(clock, 6, 200)).rejects.toMatchObject({
      name: 'RateLimitKeyConflictError',
      maxCount: 6,
      keyMaxCount: 5,
    });
    // b stops; after the limit's interval without b, a may change it (bounded real wait: the
    // interval is measured on Redis's clock)
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await a.take(clock, 6, 200)).toBe(0);
    await expect(b.take(clock, 5, 200)).rejects.toMatchObject({
      name: 'RateLimitKeyConflictError',
      keyMaxCount: 6,
    });
  });

  it('with a shared limit set by setLimit(), every store obeys it and none conflicts', async () => {
    const key = uniqueKey('conflict-shared');
    const a = processStore(key);
    const b = processStore(key);
    await a.setLimit(4, 1000);
    const limitA = new RateLimitProperties({ maxCount: 5, interval: 1000, store: a });
    const limitB = new RateLimitProperties({ maxCount: 15, interval: 2000, store: b });
    const outcomes = await Promise.all(
      [limitA, limitB, limitA, limitB, limitA, limitB].map((l) =>
        l.acquire().then(
          () => 'granted',
          (e: unknown) => (e as Error).name,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'granted')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'RateLimitExceeded')).toHaveLength(2);
  });
});

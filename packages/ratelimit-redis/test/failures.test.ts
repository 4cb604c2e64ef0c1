import { MemoryRateLimitStore, RateLimitProperties, systemClock } from '@cs/ratelimit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RedisDecisionEvent } from '../src/index';
import { RedisRateLimitStore, isRateLimitStoreError } from '../src/index';
import { client, largestWindowCount, uniqueKey } from './helpers';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { freePort, startRedisServer } from '../../../test/redis-server.mjs';

const servers: RedisServer[] = [];
const stores: RedisRateLimitStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A logger that keeps what it is told. */
function memoryLogger(): {
  lines: string[];
  warn: (m: string) => void;
  info: (m: string) => void;
  error: (m: string) => void;
} {
  const lines: string[] = [];
  return {
    lines,
    warn: (m) => lines.push(`warn ${m}`),
    info: (m) => lines.push(`info ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

describe('Redis unreachable', () => {
  it('fails the acquisition with a clear RateLimitStoreError, never a grant, and never shows the password', async () => {
    const port = await freePort(); // nothing listens there
    const logger = memoryLogger();
    const store = new RedisRateLimitStore({
      client: `redis://:SECRETFIXTURE-s3cret-pw@127.0.0.1:${port}`,
      key: 'unreachable',
      timeoutMs: 200,
      logger,
    });
    stores.push(store);
    const limit = new RateLimitProperties({ maxCount: 5, interval: 1000, block: true, store });
    const t0 = performance.now();
    const error: unknown = await limit.acquire().catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(isRateLimitStoreError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Redis rate-limit store "unreachable": Redis did not answer within 200 ms \(take\) \(connection (connecting|reconnecting)\); the acquisition was refused, not granted\. Check that Redis is reachable, raise timeoutMs, or give the store a fallback limit/,
    );
    expect(limit.stats.granted).toBe(0);
    // known down: the next decisions fail at once, without queueing behind the reconnection
    const t1 = performance.now();
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitStoreError' });
    expect(performance.now() - t1).toBeLessThan(100);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('s3cret');
    // other operations say which one failed, not that an acquisition was refused
    await expect(store.setLimit(1, 10)).rejects.toThrow(
      /^Redis rate-limit store "unreachable": Redis did not answer within 200 ms \(setLimit\) \(connection \w+\); setLimit\(\) did not complete/,
    );
    expect(JSON.stringify((error as Error).cause ?? null)).not.toContain('s3cret');
    expect(String((error as Error).stack)).not.toContain('s3cret');
  });

  it('uses the fallback limit while Redis cannot decide, logged once, and never more than it allows', async () => {
    const port = await freePort();
    const logger = memoryLogger();
    const events: RedisDecisionEvent[] = [];
    const redis = client(`redis://127.0.0.1:${port}`);
    const store = new RedisRateLimitStore({
      client: redis,
      key: 'fallback',
      timeoutMs: 100,
      fallback: { maxCount: 2, interval: 60_000 },
      logger,
      onDecision: (e) => events.push(e),
    });
    stores.push(store);
    const limit = new RateLimitProperties({ maxCount: 100, interval: 1000, store });
    await limit.acquire();
    await limit.acquire();
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    expect(store.down).toBe(true);
    expect(events.map((e) => [e.granted, e.fallback])).toEqual([
      [true, true],
      [true, true],
      [false, true],
    ]);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(
      /^warn Redis rate-limit store "fallback": Redis cannot decide .*using the local fallback limit/,
    );
  });

  it('a RateLimitProperties fallback decides through its own store and values', async () => {
    const port = await freePort();
    const fallback = new RateLimitProperties({
      maxCount: 1,
      interval: 60_000,
      store: new MemoryRateLimitStore(),
    });
    const store = new RedisRateLimitStore({
      client: client(`redis://127.0.0.1:${port}`),
      key: 'fallback-limit',
      timeoutMs: 100,
      fallback,
    });
    stores.push(store);
    expect(await store.take(systemClock, 100, 1000)).toBe(0);
    expect(await store.take(systemClock, 100, 1000)).toBeGreaterThan(59_000);
    expect(store.stats).toMatchObject({ errors: 2, fallbackDecisions: 2, granted: 1, refused: 1 });
  });
});

describe('Redis killed and restarted mid-run', () => {
  it('fails clearly while down, recovers by itself, and never over-grants across the restart', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const logger = memoryLogger();
    const grants: number[] = [];
    const redis = client(server.url);
    const store = new RedisRateLimitStore({
      client: redis,
      key: uniqueKey('restart'),
      timeoutMs: 200,
      logger,
      onDecision: (e) => {
        if (e.granted) grants.push(e.time!);
      },
    });
    stores.push(store);
    // a long interval, so that a slow restart still falls inside the window
    const limit = new RateLimitProperties({ maxCount: 10, interval: 20_000, store });
    // a full window of grants
    for (let i = 0; i < 10; i++) await limit.acquire();
    await server.kill();
    const error: unknown = await limit.acquire().catch((e: unknown) => e);
    expect(isRateLimitStoreError(error)).toBe(true);
    expect((error as Error).message).toMatch(/the acquisition was refused, not granted/);
    // restarted empty (no persistence), on the same port
    servers.splice(0);
    servers.push(await startRedisServer(server.port));
    await vi.waitFor(() => expect(redis.status).toBe('ready'), { timeout: 15_000, interval: 20 });
    // Redis decides again, and the store re-entered its grants first: the window is still full
    await expect(limit.acquire()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    expect(grants).toHaveLength(10);
    // and grants resume under the limit
    limit.maxCount = 11;
    await limit.acquire();
    expect(grants).toHaveLength(11);
    expect(largestWindowCount(grants, 20_000)).toBe(11);
    expect(logger.lines.some((l) => /^error Redis rate-limit store .* \(connection/.test(l))).toBe(
      true,
    );
    expect(
      logger.lines.some((l) => /^warn .*re-entered this process's 10 recent grants/.test(l)),
    ).toBe(true);
    expect(logger.lines.some((l) => /^info .*Redis answers again/.test(l))).toBe(true);
  });
});

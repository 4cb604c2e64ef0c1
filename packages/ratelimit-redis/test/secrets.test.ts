import { inspect } from 'node:util';
import { RateLimitProperties } from '@cs/ratelimit';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { RateLimitStoreError, RedisRateLimitStore, createRedisRateLimitStore } from '../src/index';
import { redactedError } from '../src/internal/redact';
import { uniqueKey } from './helpers';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { freePort, startRedisServer } from '../../../test/redis-server.mjs';

// The server's password, and wrong ones (one needs percent-encoding in a URL).
const RIGHT = 'SECRETFIXTURE-redisRightPw1';
const WRONG = 'SECRETFIXTURE-redisWrongPw2';
const WRONG_AT = 'SECRETFIXTURE-wr@ngPw3';
const WRONG_AT_IN_URL = 'SECRETFIXTURE-wr%40ngPw3';

let server: RedisServer;
const stores: RedisRateLimitStore[] = [];
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer(undefined, ['--requirepass', RIGHT]);
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const c of clients.splice(0)) c.disconnect();
});

/**
 * Everything an error lets one reach: `util.inspect` with hidden properties at any depth, its
 * stack, its JSON, for it and for every `cause` below it.
 */
function reachable(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let e = error; e !== undefined && e !== null && !seen.has(e);) {
    seen.add(e);
    parts.push(inspect(e, { showHidden: true, depth: null }));
    parts.push(String((e as Error).stack));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      // circular: inspect has shown it anyway
    }
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

function expectNoSecret(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  const text = reachable(error);
  for (const secret of [RIGHT, WRONG, WRONG_AT, WRONG_AT_IN_URL, 'SECRETFIXTURE']) {
    expect(text).not.toContain(secret);
  }
}

/** A logger that keeps every line at every level. */
function memoryLogger(): { lines: string[] } & Record<
  'debug' | 'info' | 'warn' | 'error',
  (m: string, meta?: object) => void
> {
  const lines: string[] = [];
  const log = (level: string) => (m: string, meta?: object) =>
    lines.push(`${level} ${m} ${JSON.stringify(meta ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('a wrong password', () => {
  it.each([
    ['in a URL', `redis://:${WRONG}@127.0.0.1:PORT`],
    ['in a URL, percent-encoded', `redis://:${WRONG_AT_IN_URL}@127.0.0.1:PORT`],
    ['in a URL with a user name', `redis://default:${WRONG}@127.0.0.1:PORT`],
  ])(
    '%s: the error, its causes and the logs never hold it, at any depth',
    async (_label, template) => {
      const logger = memoryLogger();
      const store = new RedisRateLimitStore({
        client: template.replace('PORT', String(server.port)),
        key: uniqueKey('wrong-password'),
        timeoutMs: 2000,
        logger,
      });
      stores.push(store);
      const limit = new RateLimitProperties({ maxCount: 5, interval: 1000, block: true, store });
      const error: unknown = await limit.acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitStoreError);
      // the client's error is kept, as a copy: its name, its message, its code; not its command
      const cause = (error as Error).cause as Error & Record<string, unknown>;
      expect(cause).toBeInstanceOf(Error);
      expect(cause.name).toBe('ReplyError');
      expect(cause.message).toMatch(/^WRONGPASS/);
      expect(cause.command).toBeUndefined();
      expect(Object.getOwnPropertyNames(cause).sort()).toEqual(['message', 'name', 'stack']);
      expectNoSecret(error);
      expect(logger.lines.length).toBeGreaterThan(0);
      expect(logger.lines.join('\n')).not.toContain('SECRETFIXTURE');
      await expect(store.setLimit(1, 1000)).rejects.toSatisfy((e) => {
        expectNoSecret(e);
        return true;
      });
      await expect(store.getLimit()).rejects.toSatisfy((e) => {
        expectNoSecret(e);
        return true;
      });
    },
  );

  it('in the options of a client passed in: the same', async () => {
    const redis = new Redis({
      port: server.port,
      host: '127.0.0.1',
      password: WRONG,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', () => undefined);
    clients.push(redis);
    const store = new RedisRateLimitStore({ client: redis, key: uniqueKey('wrong-client') });
    stores.push(store);
    const error: unknown = await store
      .take({ now: () => performance.now() }, 5, 1000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitStoreError);
    expect(((error as Error).cause as Error).message).toMatch(/^WRONGPASS/);
    expectNoSecret(error);
  });

  it('the right password works (the server is really protected)', async () => {
    const store = new RedisRateLimitStore({
      client: `redis://:${RIGHT}@127.0.0.1:${server.port}`,
      key: uniqueKey('right-password'),
    });
    stores.push(store);
    expect(await store.take({ now: () => performance.now() }, 5, 1000)).toBe(0);
  });
});

describe('every error of the package', () => {
  it('unreachable, timed out, closed: nothing of the password at any depth', async () => {
    const port = await freePort();
    const store = new RedisRateLimitStore({
      client: `redis://:${WRONG}@127.0.0.1:${port}`,
      key: uniqueKey('unreachable'),
      timeoutMs: 200,
    });
    stores.push(store);
    const clock = { now: () => performance.now() };
    const timedOut: unknown = await store.take(clock, 5, 1000).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ name: 'RateLimitStoreError' });
    expectNoSecret(timedOut);
    expectNoSecret(await store.take(clock, 5, 1000).catch((e: unknown) => e)); // known down
    expectNoSecret(await store.clear().catch((e: unknown) => e));
    await store.close();
    const closed: unknown = await store.take(clock, 5, 1000).catch((e: unknown) => e);
    expect((closed as Error).message).toMatch(/is closed/);
    expectNoSecret(closed);
  });

  it('configuration errors neither echo nor keep a URL that holds a password', () => {
    const attempts: (() => unknown)[] = [
      () => new RedisRateLimitStore({ client: `rediz://:${WRONG}@127.0.0.1:1`, key: 'k' }),
      () => new RedisRateLimitStore({ client: `:${WRONG}@127.0.0.1:1`, key: 'k' }),
      () => createRedisRateLimitStore({ url: `http://:${WRONG}@127.0.0.1:1`, key: 'k' }),
      () => createRedisRateLimitStore(`redis://:${WRONG}@127.0.0.1:1` as never),
      () => createRedisRateLimitStore({ url: `redis://:${WRONG}@127.0.0.1:1`, key: '' }),
      () =>
        new RedisRateLimitStore({
          client: `redis://:${WRONG}@127.0.0.1:1`,
          key: 'k',
          timeoutMs: -1,
        }),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: 'RateLimitConfigError' });
      expectNoSecret(error);
    }
  });

  it('a key conflict holds no secret either', async () => {
    const key = uniqueKey('conflict-secret');
    const url = `redis://:${RIGHT}@127.0.0.1:${server.port}`;
    const a = new RedisRateLimitStore({ client: url, key });
    const b = new RedisRateLimitStore({ client: url, key });
    stores.push(a, b);
    const clock = { now: () => performance.now() };
    expect(await a.take(clock, 5, 1000)).toBe(0);
    const conflict: unknown = await b.take(clock, 15, 1000).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ name: 'RateLimitKeyConflictError' });
    expectNoSecret(conflict);
  });

  it('a cause is copied with its name, its code and its message without the password', () => {
    const original = new (ReplyError as new (message: string) => Error)(
      `ERR something about ${WRONG} went wrong`,
    ) as Error & { command?: unknown; code?: string };
    original.command = { name: 'auth', args: [WRONG] };
    original.code = 'ERR';
    const copy = redactedError(original, [WRONG]);
    expect(copy.message).toBe('ERR something about *** went wrong');
    expect(copy.name).toBe('ReplyError');
    expect((copy as { code?: unknown }).code).toBe('ERR');
    // and the store error copies again, whatever it is given
    const error = new RateLimitStoreError('m', 'k', original);
    expect((error.cause as { command?: unknown }).command).toBeUndefined();
    expect((error.cause as { code?: unknown }).code).toBe('ERR');
    expect(reachable(error)).not.toContain('"auth"');
  });
});

describe('timers of the store', () => {
  it('a timeoutMs longer than a timer can hold is refused (it would fire after 1 ms)', () => {
    for (const timeoutMs of [2 ** 31, 1e12, Infinity]) {
      expect(
        () => new RedisRateLimitStore({ client: inject('redisUrl'), key: 'k', timeoutMs }),
      ).toThrow(
        /invalid rate limit setting timeoutMs: .* \(expected a positive number of milliseconds, at most 2147483647/,
      );
    }
  });
});

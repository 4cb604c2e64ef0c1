import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { accountFactory, clearAccountFactory } from '@cs/account';
import type { Account } from '@cs/account';
import { RateLimitProperties } from '@cs/ratelimit';
import { Session } from '@cs/session';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_CLIENT_CACHE_SIZE,
  RegionalAccount,
  RegionalAccounts,
  RegionalAccountSet,
  clearRegionalAccountFactory,
  regionalAccountFactory,
} from '../src/index';
import { FAKE_KEY, FakeHandler, callerIdentity } from './helpers';

/** An account whose session answers every request from `handler` and counts credential reads. */
const accountWith = (handler: FakeHandler): { account: Account; credentialReads: () => number } => {
  let reads = 0;
  const session = new Session(
    {
      credentials: () => {
        reads += 1;
        return Promise.resolve({ ...FAKE_KEY });
      },
      region: 'us-east-1',
    },
    { requestHandler: handler },
  );
  const account = {
    session: () => session,
    accountId: async () => '123456789012',
    alias: async () => 'acme-prod',
    aliases: async () => ['acme-prod'],
  } as unknown as Account;
  return { account, credentialReads: () => reads };
};

const unlimited = (): RateLimitProperties => new RateLimitProperties();

afterEach(() => {
  clearRegionalAccountFactory();
  clearAccountFactory();
  vi.restoreAllMocks();
});

describe('the client cache RegionalAccounts share', () => {
  it('keeps at most clientCacheSize clients across RegionalAccounts and destroys the least recently used', () => {
    const handler = new FakeHandler(() => callerIdentity());
    const { account } = accountWith(handler);
    const [a, b, c] = ['us-east-1', 'eu-west-1', 'eu-north-1'].map(
      (region) => new RegionalAccount(unlimited(), account, region, { clientCacheSize: 2 }),
    );
    const clientA = a!.client(STSClient);
    const clientB = b!.client(STSClient);
    const destroyA = vi.spyOn(clientA, 'destroy');
    const destroyB = vi.spyOn(clientB, 'destroy');
    expect(a!.client(STSClient)).toBe(clientA); // a is now more recent than b
    const clientC = c!.client(STSClient);
    expect(destroyB).toHaveBeenCalledTimes(1);
    expect(destroyA).not.toHaveBeenCalled();
    expect(c!.client(STSClient)).toBe(clientC);
    expect(a!.client(STSClient)).toBe(clientA);
    // b's client was released: b builds another on its next use, for its own region.
    const rebuilt = b!.client(STSClient);
    expect(rebuilt).not.toBe(clientB);
    expect(rebuilt.config.region).toBeDefined();
    return expect(rebuilt.config.region()).resolves.toBe('eu-west-1');
  });

  it('rebuilds an evicted client on the same credentials and the same limits', async () => {
    const handler = new FakeHandler(() => callerIdentity());
    const { account, credentialReads } = accountWith(handler);
    const limit = new RateLimitProperties({ maxCount: 100, interval: 1000, block: true });
    const scoped = new RateLimitProperties({ maxCount: 100, interval: 1000, block: true });
    const ra = new RegionalAccount(limit, account, 'us-east-1', {
      clientCacheSize: 1,
      operationLimits: { sts: scoped },
    });
    const other = new RegionalAccount(unlimited(), account, 'eu-west-1', { clientCacheSize: 1 });
    const first = ra.client(STSClient);
    await ra.send(STSClient, new GetCallerIdentityCommand({}));
    other.client(STSClient); // evicts ra's client
    const second = ra.client(STSClient);
    expect(second).not.toBe(first);
    await ra.send(STSClient, new GetCallerIdentityCommand({}));
    // One credential for both clients (the session's memoized provider), one limit for both.
    expect(credentialReads()).toBe(1);
    expect(limit.stats.granted).toBe(2);
    expect(scoped.stats.granted).toBe(2);
    expect(handler.seen.map((r) => r.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
  });

  it('lets a client evicted while in use finish its call', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived = false;
    const handler = new FakeHandler(() => callerIdentity());
    const slow = {
      handle: async (...args: Parameters<FakeHandler['handle']>) => {
        arrived = true;
        await gate;
        return handler.handle(...args);
      },
      destroy: () => undefined,
    };
    const session = new Session({ ...FAKE_KEY, region: 'us-east-1' }, { requestHandler: slow });
    const account = { session: () => session } as unknown as Account;
    const ra = new RegionalAccount(unlimited(), account, 'us-east-1', { clientCacheSize: 1 });
    const other = new RegionalAccount(unlimited(), account, 'eu-west-1', { clientCacheSize: 1 });
    const call = ra.send(STSClient, new GetCallerIdentityCommand({}));
    await vi.waitFor(() => expect(arrived).toBe(true), { timeout: 5000 });
    other.client(STSClient); // evicts (and destroys) the client of the call in flight
    release();
    await expect(call).resolves.toMatchObject({ Account: '123456789012' });
  });

  it('destroy() releases the clients of one RegionalAccount only', () => {
    const { account } = accountWith(new FakeHandler(() => callerIdentity()));
    const a = new RegionalAccount(unlimited(), account, 'us-east-1', { clientCacheSize: 8 });
    const b = new RegionalAccount(unlimited(), account, 'eu-west-1', { clientCacheSize: 8 });
    const clientA = a.client(STSClient);
    const clientB = b.client(STSClient);
    const destroyA = vi.spyOn(clientA, 'destroy');
    const destroyB = vi.spyOn(clientB, 'destroy');
    a.destroy();
    expect(destroyA).toHaveBeenCalledTimes(1);
    expect(destroyB).not.toHaveBeenCalled();
    expect(b.client(STSClient)).toBe(clientB);
    expect(a.client(STSClient)).not.toBe(clientA);
  });

  it('holds the clients of a fan-out to the cache size, not to the number of targets', async () => {
    const created = vi.spyOn(Session.prototype, 'createClient');
    const destroyed = vi.spyOn(STSClient.prototype, 'destroy');
    const accounts = Array.from({ length: 10 }, (_, i) => ({
      SessionParameters: {
        aws_access_key_id: `AKIAFAKECACHE${String(i).padStart(7, '0')}`,
        aws_secret_access_key: `SECRETFIXTURE-cache-${i}`,
        region_name: 'us-east-1',
      },
    }));
    // The accounts answer from a fake handler (the fan-out reads each account's id).
    for (const Account of accounts) {
      accountFactory(Account, { requestHandler: new FakeHandler(() => callerIdentity()) });
    }
    const set = new RegionalAccountSet(
      ...accounts.map(
        (Account) =>
          new RegionalAccounts(
            {
              Account,
              Filter: { Partitions: { aws: { Regions: { include: ['us-east-1', 'eu-west-1'] } } } },
            },
            { clientCacheSize: 3 },
          ),
      ),
    );
    let results = 0;
    for await (const result of set.stream((ra) => ra.client(STSClient) !== undefined, {
      concurrency: 2,
      aliases: false,
    })) {
      if (result.ok) results += 1;
    }
    expect(results).toBe(20);
    expect(created).toHaveBeenCalledTimes(20);
    // Every client but the 3 the cache keeps was destroyed once its target was done.
    expect(destroyed).toHaveBeenCalledTimes(17);
  });

  it('keeps the factories returning the same RegionalAccount for the same spec, whatever became of its clients', () => {
    const spec = {
      Account: {
        SessionParameters: {
          aws_access_key_id: 'AKIAFAKECACHESPEC001',
          aws_secret_access_key: 'SECRETFIXTURE-cache-spec',
          region_name: 'us-east-1',
        },
      },
      RateLimit: { max_count: 5, interval: 1, block: true },
    };
    const first = regionalAccountFactory({ ...spec, region_name: 'eu-west-1' });
    const client = first.client(STSClient);
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      regionalAccountFactory({ ...spec, region_name: region }, { clientCacheSize: 1 }).client(
        STSClient,
      );
    }
    const again = regionalAccountFactory({ region_name: 'eu-west-1', ...spec });
    expect(again).toBe(first);
    expect(again.ratelimit).toBe(first.ratelimit);
    expect(again.client(STSClient)).toBe(client);
  });

  it('shares one cache of the default size among RegionalAccounts given no size', () => {
    const { account } = accountWith(new FakeHandler(() => callerIdentity()));
    const ras = Array.from(
      { length: DEFAULT_CLIENT_CACHE_SIZE + 1 },
      () => new RegionalAccount(unlimited(), account, 'us-east-1'),
    );
    const first = ras[0]!.client(STSClient);
    const destroyFirst = vi.spyOn(first, 'destroy');
    for (const ra of ras.slice(1, -1)) ra.client(STSClient);
    expect(destroyFirst).not.toHaveBeenCalled();
    ras.at(-1)!.client(STSClient);
    expect(destroyFirst).toHaveBeenCalledTimes(1);
    for (const ra of ras) ra.destroy();
  });

  it('refuses a cache size that is not a positive integer', () => {
    const { account } = accountWith(new FakeHandler(() => callerIdentity()));
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(
        () => new RegionalAccount(unlimited(), account, 'us-east-1', { clientCacheSize: size }),
      ).toThrow(RangeError);
    }
  });
});

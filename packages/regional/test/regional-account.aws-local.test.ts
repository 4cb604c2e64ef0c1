import {
  DescribeInstancesCommand,
  EC2Client,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import type { Account } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { MemoryRateLimitStore, RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import type { RateLimitStore } from '@cs/ratelimit';
import { Session } from '@cs/session';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegionalAccount, isAwsClientError } from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTUREREGIONAL1', secretAccessKey: 'SECRETFIXTURE-regional-1' };
const ACCOUNT = '111111111111';
let aws: LocalAws;

/** The account on aws-local, through a real Session (signing, credentials, endpoint rules). */
const accountOn = (region = 'eu-west-1'): Account => {
  const session = new Session({ ...KEY, region, EndpointUrl: aws.url });
  return {
    session: () => session,
    accountId: async () => ACCOUNT,
    alias: async () => 'acme-regional',
    aliases: async () => ['acme-regional'],
  } as unknown as Account;
};

/** The most of `times` (sorted) in any half-open window of `windowMs`. */
const maxInWindow = (times: number[], windowMs: number): number => {
  let best = 0;
  for (let end = 0, start = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
};

/**
 * The SDK's standard retries with short backoff, so that a test with many retries stays fast; one
 * per test, because its retry quota drains under throttling (as the SDK's standard mode does).
 */
let quickRetries: { retryStrategy: ConfiguredRetryStrategy };

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      {
        id: ACCOUNT,
        aliases: ['acme-regional'],
        users: [{ name: 'ci', accessKeys: [KEY] }],
        regions: ['us-east-1', 'eu-west-1'],
        instances: { 'eu-west-1': 12 },
      },
    ],
  });
});
afterAll(async () => {
  await aws.close();
});
beforeEach(() => {
  quickRetries = { retryStrategy: new ConfiguredRetryStrategy(10, 5) };
  aws.inject.clear();
  aws.resetStats();
});

describe('RegionalAccount on aws-local', () => {
  it('never lets the server see more than N requests in any interval, retries after 503s and throttles included', async () => {
    const N = 4;
    const interval = 250;
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: N, interval, block: true }),
      accountOn(),
      'eu-west-1',
    );
    // Warm up the same paths (module load, client, connections, error parsing, retries): the
    // server shares this process's event loop, so first-time work on the client would delay the
    // server's arrival stamps. Then a fresh limit of the same values, with an empty window.
    ra.ratelimit = new RateLimitProperties();
    aws.inject.fault({ fault: 503, count: 4, account: ACCOUNT });
    aws.inject.rateLimit({
      requestsPerSecond: 10,
      burst: 2,
      account: ACCOUNT,
      region: 'eu-west-1',
    });
    await Promise.allSettled(
      Array.from({ length: 16 }, () =>
        ra.callClient('sts', 'GetCallerIdentity', {}, { ...quickRetries }),
      ),
    );
    aws.inject.clear();
    // A store that records each grant, on the limiter's clock (performance.now(), the clock the
    // in-process server stamps arrivals with).
    const granted: number[] = [];
    const memory = new MemoryRateLimitStore();
    const store: RateLimitStore = {
      synchronous: true,
      take: (clock, maxCount, windowMs) => {
        const wait = memory.take(clock, maxCount, windowMs);
        if (wait <= 0) granted.push(clock.now());
        return wait;
      },
      clear: () => memory.clear(),
    };
    ra.ratelimit = new RateLimitProperties({ maxCount: N, interval, block: true, store });
    aws.resetStats();
    aws.inject.fault({ fault: 503, count: 5, account: ACCOUNT, region: 'eu-west-1' });
    aws.inject.rateLimit({
      requestsPerSecond: 10,
      burst: 2,
      account: ACCOUNT,
      region: 'eu-west-1',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, () =>
        ra.callClient('sts', 'GetCallerIdentity', {}, { ...quickRetries }),
      ),
    );
    const stats = aws.stats;
    expect(stats.faults).toBeGreaterThan(0);
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.requests).toBeGreaterThan(16);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
    // Every attempt passed the limit, which granted at most N in any interval.
    expect(granted).toHaveLength(stats.requests);
    expect(maxInWindow(granted, interval)).toBeLessThanOrEqual(N);
    // On the wire: an arrival lags its grant (signing, sockets, and the event loop this process
    // shares with the server), so the server never sees more than N in any window of the interval
    // less the largest lag measured (the k-th arrival matched with the k-th grant).
    const arrivals = stats.log.map((e) => e.time);
    const lag = Math.max(...arrivals.map((t, k) => t - (granted[k] ?? t)));
    expect(lag).toBeLessThan(interval);
    expect(
      aws.maxRequestsInWindow(interval - lag, { account: ACCOUNT, region: 'eu-west-1' }),
    ).toBeLessThanOrEqual(N);
    expect(ra.ratelimit.stats.granted).toBe(stats.requests);
  });

  it('follows the documented sequences over the wire: second call raises under 1, passes after maxCount = 2; paginator pages likewise', async () => {
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: 1, interval: 60_000 }),
      accountOn(),
      'eu-west-1',
    );
    await ra.callClient('sts', 'get_caller_identity');
    const error = await ra.callClient('sts', 'get_caller_identity').catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    ra.ratelimit.maxCount = 2;
    await expect(ra.callClient('sts', 'get_caller_identity')).resolves.toMatchObject({
      Account: ACCOUNT,
    });

    const pagesUnder = async (): Promise<number> => {
      let pages = 0;
      for await (const page of paginateDescribeInstances(
        { client: ra.client(EC2Client) },
        { MaxResults: 5 },
      )) {
        expect(page.Reservations?.length).toBeGreaterThan(0);
        pages++;
      }
      return pages;
    };
    ra.ratelimit = new RateLimitProperties({ maxCount: 1, interval: 60_000 });
    const pageError = await pagesUnder().catch((e: unknown) => e);
    expect(isRateLimitExceeded(pageError)).toBe(true);
    ra.ratelimit.maxCount = 10;
    expect(await pagesUnder()).toBe(3);
    expect(aws.stats.byOperation['ec2:DescribeInstances']).toBe(4);
  });

  it('pages through the dynamic paginator with snake_case names', async () => {
    const ra = new RegionalAccount(new RateLimitProperties(), accountOn(), 'eu-west-1');
    const ids: string[] = [];
    for await (const page of ra.paginate<{
      Reservations: { Instances: { InstanceId: string }[] }[];
    }>('ec2', 'describe_instances', { MaxResults: 5 })) {
      for (const r of page.Reservations) for (const i of r.Instances) ids.push(i.InstanceId);
    }
    expect(new Set(ids).size).toBe(12);
    const { Reservations } = await ra.send(
      EC2Client,
      new DescribeInstancesCommand({ MaxResults: 5 }),
    );
    expect(Reservations).toHaveLength(5);
  });

  it('wraps the refusal of a region not enabled with the hint to remove it from the filter', async () => {
    const ra = new RegionalAccount(
      new RateLimitProperties(),
      accountOn('eu-west-1'),
      'ap-southeast-2',
    );
    const error = await ra.callClient('ec2', 'DescribeInstances').catch((e: unknown) => e);
    expect(isAwsClientError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'AuthFailure',
      accountId: ACCOUNT,
      alias: 'acme-regional',
      region: 'ap-southeast-2',
      service: 'ec2',
      operation: 'DescribeInstances',
    });
    expect((error as Error).message).toMatch(/remove the region from the filter/);
    expect((error as Error).message).not.toContain(KEY.secretAccessKey);
  });

  it('settles under an unknown server limit in adaptive mode (a fast real run)', async () => {
    aws.inject.rateLimit({
      requestsPerSecond: 20,
      burst: 5,
      account: ACCOUNT,
      region: 'us-east-1',
    });
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: 20, interval: 250, block: true }),
      accountOn(),
      'us-east-1',
      { adaptive: { decrease: 0.7, increase: 1 } },
    );
    const throttled: number[] = [];
    ra.on('throttled', ({ attempt }) => throttled.push(attempt));
    const started = performance.now();
    let done = 0;
    const worker = async (): Promise<void> => {
      while (performance.now() - started < 2000) {
        await ra.callClient('sts', 'GetCallerIdentity', {}, { ...quickRetries });
        done++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(throttled.length).toBeGreaterThan(0);
    expect(ra.adaptiveMaxCount).toBeDefined();
    expect(ra.adaptiveMaxCount!).toBeLessThan(20);
    expect(ra.ratelimit.maxCount).toBe(20);
    // Far fewer throttles than successes once settled.
    expect(throttled.length).toBeLessThan(done / 2);
  });
});

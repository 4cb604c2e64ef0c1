import type { Account } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { RateLimitProperties } from '@cs/ratelimit';
import { Session } from '@cs/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largestWindowCount } from '../../../test/windows.mjs';
import { RegionalAccount } from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTUREWIRE00001', secretAccessKey: 'SECRETFIXTURE-wire-1' };
const ACCOUNT = '121212121212';
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-south-1',
];
let aws: LocalAws;

const accountOn = (region: string): Account => {
  const session = new Session({ ...KEY, region, EndpointUrl: aws.url });
  return {
    session: () => session,
    accountId: async () => ACCOUNT,
    alias: async () => 'wire',
    aliases: async () => ['wire'],
  } as unknown as Account;
};

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [{ id: ACCOUNT, users: [{ name: 'ci', accessKeys: [KEY] }], regions: REGIONS }],
  });
});
afterAll(async () => {
  await aws.close();
});

describe('an operation limit shared by regions whose own limits make requests wait', () => {
  it('holds on the wire: a slot granted before the regional limit made the request wait is taken again, not sent late', async () => {
    // One budget of 5 DescribeInstances a second for 8 regions, each region 1 request a second.
    const shared = new RateLimitProperties({ maxCount: 5, interval: 1000, block: true });
    const ras = REGIONS.map(
      (region) =>
        new RegionalAccount(
          new RateLimitProperties({ maxCount: 1, interval: 1000, block: true }),
          accountOn(region),
          region,
          { operationLimits: { 'ec2:DescribeInstances': shared } },
        ),
    );
    const sent: number[] = [];
    for (const ra of ras) {
      ra.on('request', ({ operation }) => {
        if (operation === 'DescribeInstances') sent.push(performance.now());
      });
    }
    try {
      await Promise.all(
        ras.map(async (ra) => {
          // the region's slot of this second goes to another call...
          await ra.callClient('ec2', 'DescribeRegions', {});
          // ...so this one waits a second for it: had it kept the operation slot it took first,
          // 5 would leave together with those granted a second later, 8 in a window of 5
          await ra.callClient('ec2', 'DescribeInstances', {});
        }),
      );
    } finally {
      for (const ra of ras) ra.destroy();
    }
    const log = aws.stats.log.filter((e) => e.operation === 'DescribeInstances');
    expect(log).toHaveLength(8);
    expect(log.every((e) => e.status === 200)).toBe(true);
    // when the requests left their limits (every slot fresh), never more than 5 in a second
    expect(sent).toHaveLength(8);
    expect(largestWindowCount(sent, 1000)).toBeLessThanOrEqual(5);
    // on the wire: an arrival lags its request (signing, sockets, and the event loop this process
    // shares with the server), so the server sees at most 5 in any window of the interval less the
    // largest lag (the k-th arrival matched with the k-th request)
    const arrivals = log.map((e) => e.time);
    sent.sort((a, b) => a - b);
    const lag = Math.max(...arrivals.map((t, k) => t - sent[k]!));
    expect(lag).toBeLessThan(500);
    expect(
      aws.maxRequestsInWindow(1000 - lag, { operation: 'DescribeInstances' }),
    ).toBeLessThanOrEqual(5);
    // the slots given up were spent: 8 requests took 13 (or more) operation slots
    expect(shared.stats.granted).toBeGreaterThan(8);
  });
});

import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { RateLimitProperties } from '@cs/ratelimit';
import { RegionalAccount } from '@cs/regional';
import { Session } from '@cs/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetTimingRecorder } from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTUREREPORT001', secretAccessKey: 'SECRETFIXTURE-report-1' };
const ACCOUNT = '111111111111';
let aws: LocalAws;
let session: Session;

/** A RegionalAccount of the fixture account on aws-local, through a real Session. */
const regionalAccount = (limit: RateLimitProperties): RegionalAccount =>
  new RegionalAccount(
    limit,
    {
      session: () => session,
      accountId: async () => ACCOUNT,
      alias: async () => 'acme-report',
      aliases: async () => ['acme-report'],
    } as unknown as ConstructorParameters<typeof RegionalAccount>[1],
    'eu-west-1',
  );

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [{ id: ACCOUNT, users: [{ name: 'ci', accessKeys: [KEY] }], regions: ['eu-west-1'] }],
  });
  session = new Session({ ...KEY, region: 'eu-west-1', EndpointUrl: aws.url });
});

afterAll(async () => {
  session.destroy();
  await aws.close();
});

describe('TargetTimingRecorder', () => {
  it('counts the requests, rate-limit waits, throttling answers and retries of each target', async () => {
    const recorder = new TargetTimingRecorder();
    const ra = regionalAccount(new RateLimitProperties({ maxCount: 1, interval: 50, block: true }));
    const other = regionalAccount(new RateLimitProperties());
    const fn = recorder.wrap((target) => target.callClient('sts', 'GetCallerIdentity'));
    const signal = new AbortController().signal;
    await Promise.all([fn(ra, signal), fn(ra, signal), fn(ra, signal)]);
    // AWS throttles past one request at once (a bucket of 1, refilled every 50 ms): of three at
    // once, two or more answers are throttling errors, which the SDK retries.
    aws.inject.rateLimit({ requestsPerSecond: 20, burst: 1, account: ACCOUNT });
    await Promise.all([fn(other, signal), fn(other, signal), fn(other, signal)]);
    aws.inject.clear();
    recorder.close();

    const timing = recorder.timingOf({ target: ra })!;
    expect(timing.requests).toBe(3);
    // The second and third (at least) waited for the 1-per-50-ms slot.
    expect(timing.rateLimitWaits).toBeGreaterThanOrEqual(2);
    expect(timing.rateLimitWaitMs).toBeGreaterThanOrEqual(50);
    const throttled = recorder.timingOf({ target: other })!;
    expect(throttled.throttled).toBeGreaterThanOrEqual(2);
    expect(throttled.retries).toBeGreaterThanOrEqual(throttled.throttled); // each one retried
    expect(throttled.requests).toBe(3 + throttled.retries);
    expect(throttled.rateLimitWaits).toBe(0);
    expect(recorder.timingOf({ target: undefined })).toBeUndefined();
  });

  it('stops counting once closed', async () => {
    const recorder = new TargetTimingRecorder();
    const ra = regionalAccount(new RateLimitProperties());
    recorder.watch(ra);
    recorder.watch(ra); // once
    await ra.callClient('sts', 'GetCallerIdentity');
    recorder.close();
    await ra.callClient('sts', 'GetCallerIdentity');
    expect(recorder.timingOf({ target: ra })?.requests).toBe(1);
  });
});

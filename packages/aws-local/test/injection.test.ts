import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLocalAwsError, startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, DEV, MGMT, fixture } from './fixture';
import { rejection } from './helpers';

let aws: LocalAws;
let random = 0.5;
beforeAll(async () => {
  aws = await startLocalAws(fixture(), { random: () => random });
});
afterEach(() => {
  aws.inject.clear();
  aws.resetStats();
});
afterAll(() => aws.close());

const sts = (maxAttempts = 1, credentials = ALICE) =>
  new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts });
const whoami = (client = sts()) => client.send(new GetCallerIdentityCommand({}));

describe('rate limits', () => {
  it('answers Throttling (400) over the limit, which the SDK retries as throttling', async () => {
    // Its own clock: the bucket refills only when the test says so, however slow the machine.
    // It starts at the real time: requests are signed with it, and refused past 15 minutes off.
    let clock = Date.now();
    const own = await startLocalAws(fixture(), { now: () => clock });
    own.inject.rateLimit({ requestsPerSecond: 1, burst: 1, operation: 'GetCallerIdentity' });
    const client = (maxAttempts: number) =>
      new STSClient({ endpoint: own.url, region: 'us-east-1', credentials: ALICE, maxAttempts });
    try {
      await client(1).send(new GetCallerIdentityCommand({}));
      const e = await rejection(client(1).send(new GetCallerIdentityCommand({})));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['Throttling', 400]);
      const pending = client(5).send(new GetCallerIdentityCommand({}));
      for (let i = 0; i < 1000 && own.stats.throttled < 2; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      clock += 1000;
      // A 400 is retried only when the SDK classifies it as throttling.
      const out = await pending;
      expect(out.$metadata.attempts).toBeGreaterThan(1);
      expect(own.stats.requests).toBe(own.stats.throttled + 2);
    } finally {
      await own.close();
    }
  });

  it('keeps one bucket per account, region and operation', async () => {
    aws.inject.rateLimit({ requestsPerSecond: 0.001, burst: 1 });
    await whoami();
    expect((await rejection(whoami())).name).toBe('Throttling');
    expect((await whoami(sts(1, BOB))).Account).toBe(DEV);
    expect(
      (
        await whoami(
          new STSClient({
            endpoint: aws.url,
            region: 'eu-west-1',
            credentials: ALICE,
            maxAttempts: 1,
          }),
        )
      ).Account,
    ).toBe(MGMT);
  });

  it('answers RequestLimitExceeded (503) for EC2 and TooManyRequestsException (400) for Organizations', async () => {
    aws.inject.rateLimit({ requestsPerSecond: 0.001, burst: 1, service: 'ec2' });
    aws.inject.rateLimit({ requestsPerSecond: 0.001, burst: 1, service: 'organizations' });
    const ec2 = new EC2Client({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    await ec2.send(new DescribeRegionsCommand({}));
    const e = await rejection(ec2.send(new DescribeRegionsCommand({})));
    expect(e.name).toBe('RequestLimitExceeded');
    expect(e.$metadata.httpStatusCode).toBe(503);
    const orgs = new OrganizationsClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    await orgs.send(new ListRootsCommand({}));
    const o = await rejection(orgs.send(new ListRootsCommand({})));
    expect(o.name).toBe('TooManyRequestsException');
    expect(o.$metadata.httpStatusCode).toBe(400);
    // STS is out of scope of both rules.
    await whoami();
    await whoami();
  });

  it('stops throttling once the rule is removed', async () => {
    const remove = aws.inject.rateLimit({ requestsPerSecond: 0.001, burst: 1 });
    await whoami();
    await rejection(whoami());
    remove();
    await whoami();
  });

  it('rejects a bad rule with LocalAwsError', () => {
    let thrown: unknown;
    try {
      aws.inject.rateLimit({ requestsPerSecond: 0 });
    } catch (e) {
      thrown = e;
    }
    expect(isLocalAwsError(thrown)).toBe(true);
  });
});

describe('faults', () => {
  it('answers 503 for the next N requests, then recovers; the SDK retries', async () => {
    aws.inject.fault({ fault: 503, count: 1 });
    const e = await rejection(whoami());
    expect(e.name).toBe('ServiceUnavailable');
    expect(e.$metadata.httpStatusCode).toBe(503);
    aws.inject.fault({ fault: 500, count: 1 });
    const out = await whoami(sts(2));
    expect(out.$metadata.attempts).toBe(2);
    expect(aws.stats.faults).toBe(2);
    expect(aws.stats.errors).toEqual({ ServiceUnavailable: 1, InternalFailure: 1 });
  });

  it('fires with its probability, through the injected random source', async () => {
    aws.inject.fault({ fault: 500, probability: 0.4 });
    random = 0.5;
    await whoami();
    random = 0.3;
    expect((await rejection(whoami())).name).toBe('InternalFailure');
    random = 0.5;
  });

  it('drops the connection mid-response', async () => {
    aws.inject.fault({ fault: 'drop', count: 1, account: MGMT });
    const e = await rejection(whoami());
    // The body is cut short: the SDK sees the connection reset while reading it.
    expect((e as Error & { code?: string }).code).toBe('ECONNRESET');
    expect(aws.stats.faults).toBe(1);
    expect(aws.stats.log.at(-1)).toMatchObject({ status: 0, code: 'ConnectionDropped' });
    await whoami();
  });

  it('applies only to its scope', async () => {
    aws.inject.fault({ fault: 500, account: DEV });
    await whoami();
    expect((await rejection(whoami(sts(1, BOB)))).name).toBe('InternalFailure');
  });
});

describe('latency', () => {
  it('delays responses by ms plus jitter', async () => {
    aws.inject.latency({ ms: 120, jitterMs: 100 });
    random = 0.5;
    const started = performance.now();
    await whoami();
    expect(performance.now() - started).toBeGreaterThanOrEqual(165);
  });
});

describe('model changes at run time', () => {
  it('revokes a key', async () => {
    const { startLocalAws: start } = await import('../src/index');
    const own = await start(fixture());
    const client = new STSClient({
      endpoint: own.url,
      region: 'us-east-1',
      credentials: BOB,
      maxAttempts: 1,
    });
    await client.send(new GetCallerIdentityCommand({}));
    own.model.revokeAccessKey(BOB.accessKeyId);
    const e = await rejection(client.send(new GetCallerIdentityCommand({})));
    client.destroy();
    await own.close();
    expect(e.name).toBe('InvalidClientTokenId');
  });
});

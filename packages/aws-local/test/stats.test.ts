import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, DEV, MGMT, fixture } from './fixture';
import { rejection } from './helpers';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws(fixture(), { logLimit: 5 });
});
beforeEach(() => aws.resetStats());
afterAll(() => aws.close());

const whoami = (credentials = ALICE, region = 'us-east-1') =>
  new STSClient({ endpoint: aws.url, region, credentials, maxAttempts: 1 }).send(
    new GetCallerIdentityCommand({}),
  );

it('counts per operation, account, region and access key', async () => {
  await whoami();
  await whoami(BOB, 'eu-west-1');
  await whoami(BOB, 'eu-west-1');
  await rejection(
    whoami({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'SECRETFIXTURE-wrong' }),
  );
  const s = aws.stats;
  expect(s.requests).toBe(4);
  expect(s.byOperation).toEqual({ 'sts:GetCallerIdentity': 4 });
  expect(s.byAccount).toEqual({ [MGMT]: 2, [DEV]: 2 });
  expect(s.byRegion).toEqual({ 'us-east-1': 2, 'eu-west-1': 2 });
  expect(s.byAccessKey).toEqual({ [ALICE.accessKeyId]: 2, [BOB.accessKeyId]: 2 });
  expect(s.signatureFailures).toBe(1);
  expect(s.authFailures).toBe(1);
  expect(s.errors).toEqual({ SignatureDoesNotMatch: 1 });
});

it('counts the TCP connections it accepts: one per new client, one for a client that reuses its own', async () => {
  await whoami();
  await whoami();
  expect(aws.stats.connections).toBe(2);
  const client = new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials: ALICE });
  for (let i = 0; i < 3; i++) await client.send(new GetCallerIdentityCommand({}));
  client.destroy();
  expect(aws.stats.connections).toBe(3);
  aws.resetStats();
  expect(aws.stats.connections).toBe(0);
});

it('keeps a bounded, timestamped log', async () => {
  const started = performance.now();
  for (let i = 0; i < 8; i++) await whoami();
  const log = aws.stats.log;
  expect(log).toHaveLength(5);
  expect(log[0]!.time).toBeGreaterThanOrEqual(started);
  expect(log.every((e, i) => i === 0 || e.time >= log[i - 1]!.time)).toBe(true);
  expect(log[4]).toMatchObject({
    service: 'sts',
    operation: 'GetCallerIdentity',
    account: MGMT,
    region: 'us-east-1',
    status: 200,
  });
});

it('finds the most requests in any window', async () => {
  await Promise.all([whoami(), whoami(), whoami()]);
  expect(aws.maxRequestsInWindow(10_000)).toBe(3);
  expect(aws.maxRequestsInWindow(10_000, { account: DEV })).toBe(0);
  expect(aws.maxRequestsInWindow(0.000001)).toBeLessThanOrEqual(3);
});

it('serves the counters over HTTP and resets them', async () => {
  await whoami();
  const res = await fetch(`${aws.url}/__stats`);
  const body = (await res.json()) as { requests: number; byOperation: Record<string, number> };
  expect(body.requests).toBe(1);
  expect(body.byOperation).toEqual({ 'sts:GetCallerIdentity': 1 });
  expect((await fetch(`${aws.url}/__reset`, { method: 'POST' })).status).toBe(204);
  expect(aws.stats.requests).toBe(0);
  expect((await fetch(`${aws.url}/__nope`)).status).toBe(404);
});

it('answers MissingAuthenticationToken to an unsigned request', async () => {
  const res = await fetch(aws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  expect(res.status).toBe(403);
  expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  expect(aws.stats.authFailures).toBe(1);
});

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../src/Session';
import { clearSessionFactory, sessionFactory } from '../src/sessionFactory';
import { isAssumeRoleError } from '../src/errors';
import type { SessionOptions, SessionParameters } from '../src/types';
import { BASE_KEY, CHAIN, arn, fixture } from './fixture';
import { baseSession, expectNoSecretSeen, logger, record, remember, seen } from './wire-helpers';

let aws: LocalAws;
const sessions: Session[] = [];
const newSession = (
  extra: Partial<SessionParameters> = {},
  options: SessionOptions = {},
  server = aws,
) => {
  const session = baseSession(server, extra, options);
  sessions.push(session);
  return session;
};
const count = (server: LocalAws, operation: string): number =>
  server.stats.byOperation[`sts:${operation}`] ?? 0;

beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
afterEach(() => {
  aws.inject.clear();
  aws.resetStats();
  clearSessionFactory();
});
afterAll(async () => {
  for (const session of sessions) session.destroy();
  await aws.close();
  expect(seen.length).toBeGreaterThan(10);
  expectNoSecretSeen();
});

describe('role chains against aws-local', () => {
  it('climbs a three-account chain and comes back down with revert', async () => {
    const session = newSession();
    expect(await session.accountId()).toBe('111111111111');
    expect(await session.arn()).toBe('arn:aws:iam::111111111111:user/ci');
    const accounts = [];
    for (const role of CHAIN) {
      await session.assumeRole({ RoleArn: role, RoleSessionName: 'chain' });
      await remember(session);
      accounts.push(await session.accountId());
    }
    expect(accounts).toEqual(['222222222222', '333333333333', '444444444444']);
    expect(await session.arn()).toBe('arn:aws:sts::444444444444:assumed-role/Hop3/chain');
    expect(await session.userId()).toMatch(/^AROA.*:chain$/);
    const down = [];
    while (session.revert()) down.push(await session.accountId());
    expect(down).toEqual(['333333333333', '222222222222', '111111111111']);
    expect(count(aws, 'AssumeRole')).toBe(3);
  });

  it('eager assumption calls STS at once; deferred waits for the first use', async () => {
    const eager = newSession();
    await eager.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'ee' });
    expect(count(aws, 'AssumeRole')).toBe(1);
    const deferred = newSession();
    await deferred.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'dd' }, { deferred: true });
    await deferred.assumeRole({ RoleArn: CHAIN[1]!, RoleSessionName: 'dd' }, { deferred: true });
    expect(count(aws, 'AssumeRole')).toBe(1);
    expect(await deferred.accountId()).toBe('333333333333');
    expect(count(aws, 'AssumeRole')).toBe(3);
  });

  it('a refused trust rejects with AccessDenied naming the hop', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'tt' });
    const error = record(
      await session
        .assumeRole({ RoleArn: arn('333333333333', 'Closed'), RoleSessionName: 'tt' })
        .catch((e: unknown) => e),
    );
    expect(isAssumeRoleError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'AccessDenied',
      hop: 2,
      roleArn: arn('333333333333', 'Closed'),
    });
    expect((error as Error).message).toMatch(
      /^AssumeRole of arn:aws:iam::333333333333:role\/Closed \(hop 2 of the role chain\) failed: AccessDenied/,
    );
    // deferred: the same error surfaces at first use, naming the hop
    const deferred = newSession();
    await deferred.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'tt' }, { deferred: true });
    await deferred.assumeRole({ RoleArn: CHAIN[2]!, RoleSessionName: 'tt' }, { deferred: true });
    const late = record(await deferred.accountId().catch((e: unknown) => e));
    expect(late).toMatchObject({
      name: 'AssumeRoleError',
      hop: 2,
      roleArn: CHAIN[2],
      code: 'AccessDenied',
    });
  });

  it('1,000 concurrent accountId() calls on a fresh chain make one AssumeRole per hop', async () => {
    const session = newSession();
    for (const role of CHAIN)
      await session.assumeRole({ RoleArn: role, RoleSessionName: 'many' }, { deferred: true });
    const ids = await Promise.all(Array.from({ length: 1000 }, () => session.accountId()));
    expect(new Set(ids)).toEqual(new Set(['444444444444']));
    expect(count(aws, 'AssumeRole')).toBe(3);
    // The identity came with the last hop's credentials.
    expect(count(aws, 'GetCallerIdentity')).toBe(0);
  });

  it("reads an assumed role's identity from the AssumeRole answer, as GetCallerIdentity gives it", async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'who' });
    const mine = {
      Account: await session.accountId(),
      Arn: await session.arn(),
      UserId: await session.userId(),
    };
    expect(count(aws, 'GetCallerIdentity')).toBe(0);
    const sts = session.createClient(STSClient);
    const { Account, Arn, UserId } = await sts.send(new GetCallerIdentityCommand({}));
    expect(mine).toEqual({ Account, Arn, UserId });
    expect(mine.Account).toBe('222222222222');
    // The base identity (no assumption) still asks STS.
    session.revert();
    expect(await session.accountId()).toBe('111111111111');
    expect(count(aws, 'GetCallerIdentity')).toBe(2);
    expect(count(aws, 'AssumeRole')).toBe(1);
  });

  it('shares one provider among every client of a chain', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'share' });
    const a = session.client(STSClient);
    const b = session.client(STSClient, { region: 'us-west-2' });
    const c = session.createClient(STSClient);
    expect(a).toBe(session.client(STSClient));
    expect(a).not.toBe(b);
    const results = await Promise.all(
      [a, b, c].flatMap((client) =>
        Array.from({ length: 20 }, () => client.send(new GetCallerIdentityCommand({}))),
      ),
    );
    expect(new Set(results.map((r) => r.Account))).toEqual(new Set(['222222222222']));
    expect(count(aws, 'AssumeRole')).toBe(1);
    expect(aws.stats.byRegion['us-west-2']).toBe(20);
    c.destroy();
  });

  it('calls STS in the session region (the signature scope), us-east-1 without one', async () => {
    const session = newSession({ region_name: 'ap-southeast-2' });
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'rr' });
    // The base identity's GetCallerIdentity too (an assumed role's identity needs no call).
    session.revert();
    await session.accountId();
    expect(aws.stats.log.filter((e) => e.service === 'sts').map((e) => e.region)).toEqual([
      'ap-southeast-2',
      'ap-southeast-2',
    ]);
    aws.resetStats();
    const none = newSession({ region_name: undefined });
    expect(none.region).toBeUndefined();
    await none.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'rr' });
    expect(aws.stats.log.map((e) => e.region)).toEqual(['us-east-1']);
  });

  it("assumes a web identity role with the original's sts_method spelling", async () => {
    const session = newSession();
    await session.assumeRole({
      RoleArn: arn('222222222222', 'Web'),
      RoleSessionName: 'ww',
      sts_method: 'assume_role_with_web_identity',
      WebIdentityToken: 'SECRETFIXTURE-web-token-1',
    });
    expect(await session.accountId()).toBe('222222222222');
    expect(count(aws, 'AssumeRoleWithWebIdentity')).toBe(1);
  });

  it('retries throttled identity calls', async () => {
    aws.inject.rateLimit({
      service: 'sts',
      operation: 'GetCallerIdentity',
      requestsPerSecond: 4,
      burst: 1,
    });
    const many = Array.from({ length: 4 }, () =>
      newSession({}, { stsClientConfig: { maxAttempts: 6 } }),
    );
    const ids = await Promise.all(many.map((s) => s.accountId()));
    expect(ids).toEqual(Array(4).fill('111111111111'));
    expect(aws.stats.throttled).toBeGreaterThan(0);
    expect(aws.stats.errors.Throttling).toBe(aws.stats.throttled);
  });

  it('factory: same configuration whatever its key order gives one session; roles deferred; ready() surfaces errors', async () => {
    const params = {
      EndpointUrl: aws.url,
      region_name: 'eu-west-1',
      aws_access_key_id: BASE_KEY.accessKeyId,
      aws_secret_access_key: BASE_KEY.secretAccessKey,
    };
    const a = sessionFactory(
      {
        SessionParameters: params,
        AssumeRoles: [
          { RoleArn: CHAIN[0]!, RoleSessionName: 'ff' },
          { RoleSessionName: 'ff', RoleArn: CHAIN[1]! },
        ],
      },
      { logger },
    );
    const reordered = Object.fromEntries(Object.entries(params).reverse());
    const b = sessionFactory({
      AssumeRoles: [
        { RoleSessionName: 'ff', RoleArn: CHAIN[0]! },
        { RoleArn: CHAIN[1]!, RoleSessionName: 'ff' },
      ],
      SessionParameters: reordered,
    });
    expect(b).toBe(a);
    expect(
      sessionFactory({
        SessionParameters: params,
        AssumeRole: { RoleArn: CHAIN[0]!, RoleSessionName: 'ff' },
      }),
    ).not.toBe(a);
    expect(count(aws, 'AssumeRole')).toBe(0);
    await a.ready();
    expect(count(aws, 'AssumeRole')).toBe(2);
    expect(await a.accountId()).toBe('333333333333');
    const refused = sessionFactory(
      {
        SessionParameters: params,
        AssumeRole: { RoleArn: arn('333333333333', 'Closed'), RoleSessionName: 'ff' },
      },
      { logger },
    );
    const error = record(await refused.ready().catch((e: unknown) => e));
    expect(error).toMatchObject({
      name: 'AssumeRoleError',
      roleArn: arn('333333333333', 'Closed'),
      hop: 1,
    });
  });

  it('refuses a revoked base key clearly, without its secret', async () => {
    const server = await startLocalAws(fixture());
    try {
      server.model.revokeAccessKey(BASE_KEY.accessKeyId);
      const error = record(
        await newSession({}, {}, server)
          .accountId()
          .catch((e: unknown) => e),
      );
      expect(error).toMatchObject({ name: 'InvalidClientTokenId' });
    } finally {
      await server.close();
    }
  });
});

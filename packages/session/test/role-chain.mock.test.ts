import { inspect } from 'node:util';
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../src/Session';
import { isAssumeRoleError, isSessionParametersError } from '../src/errors';

const SECRET = 'SECRETFIXTURE-base-0123456789';
const stsMock = mockClient(STSClient);

const roleArn = (account: string, name = 'Chain') => `arn:aws:iam::${account}:role/${name}`;

let issued = 0;
const credentialsFor = (lifetimeMs = 3_600_000) => {
  issued += 1;
  return {
    Credentials: {
      AccessKeyId: `ASIA${issued}`,
      SecretAccessKey: `SECRETFIXTURE-role-secret-${issued}`,
      SessionToken: `SECRETFIXTURE-role-token-${issued}`,
      Expiration: new Date(Date.now() + lifetimeMs),
    },
  };
};

const logs: string[] = [];
const logger = {
  debug: (m: string, meta?: object) => logs.push(`${m} ${JSON.stringify(meta)}`),
  warn: (m: string, meta?: object) => logs.push(`${m} ${JSON.stringify(meta)}`),
};
const newSession = () =>
  new Session(
    { aws_access_key_id: 'AKIDBASE', aws_secret_access_key: SECRET, region_name: 'eu-west-1' },
    { logger },
  );

beforeEach(() => {
  stsMock.reset();
  logs.length = 0;
  issued = 0;
  stsMock.on(AssumeRoleCommand).callsFake(() => credentialsFor());
  stsMock.on(GetCallerIdentityCommand).resolves({
    Account: '111111111111',
    UserId: 'AIDABASE',
    Arn: 'arn:aws:iam::111111111111:user/base',
  });
});
afterEach(() => vi.useRealTimers());

describe('assumeRole (single calls, aws-sdk-client-mock)', () => {
  it('eager: calls STS once with the parameters and resolves after it answered', async () => {
    const session = newSession();
    await session.assumeRole({
      RoleArn: roleArn('222222222222'),
      RoleSessionName: 's',
      ExternalId: 'ext',
    });
    const calls = stsMock.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      RoleArn: roleArn('222222222222'),
      RoleSessionName: 's',
      ExternalId: 'ext',
    });
    expect(session.roles).toEqual([roleArn('222222222222')]);
    expect(await session.accessKey()).toBe('ASIA1');
  });

  it('deferred: calls nothing until the credentials are needed', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('222222222222') }, { deferred: true });
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    await session.ready();
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleSessionName).toBe(
      'cs-aws',
    );
  });

  it("accepts the original's sts_method spelling and the web identity method", async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).callsFake(() => credentialsFor());
    const session = newSession();
    await session.assumeRole({
      RoleArn: roleArn('2'),
      sts_method: 'assume_role_with_web_identity',
      WebIdentityToken: 'SECRETFIXTURE-jwt',
    });
    const call = stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)[0]!;
    expect(call.args[0].input).toEqual({
      RoleArn: roleArn('2'),
      RoleSessionName: 'cs-aws',
      WebIdentityToken: 'SECRETFIXTURE-jwt',
    });
    await expect(
      newSession().assumeRole({ RoleArn: roleArn('2'), sts_method: 'assume_roll' }),
    ).rejects.toThrow(/unknown method "assume_roll"/);
  });

  it('refused: rejects with the STS error naming the hop, and pops the role', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('222222222222', 'A') });
    const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
      name: 'AccessDenied',
    });
    stsMock.on(AssumeRoleCommand, { RoleArn: roleArn('333333333333', 'B') }).rejects(denied);
    const error = await session
      .assumeRole({ RoleArn: roleArn('333333333333', 'B') })
      .catch((e: unknown) => e);
    expect(isAssumeRoleError(error)).toBe(true);
    expect(error).toMatchObject({
      roleArn: roleArn('333333333333', 'B'),
      hop: 2,
      code: 'AccessDenied',
    });
    expect((error as Error).message).toContain(
      'arn:aws:iam::333333333333:role/B (hop 2 of the role chain) failed: AccessDenied',
    );
    expect(session.roles).toEqual([roleArn('222222222222', 'A')]);
  });

  it('clamps DurationSeconds of a chained role to one hour, with a warning', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('2'), DurationSeconds: 43_200 });
    await session.assumeRole({ RoleArn: roleArn('3'), DurationSeconds: 7200 });
    const inputs = stsMock
      .commandCalls(AssumeRoleCommand)
      .map((c) => c.args[0].input.DurationSeconds);
    expect(inputs).toEqual([43_200, 3600]);
    expect(logs.filter((l) => l.includes('exceeds'))).toHaveLength(1);
    expect(logs.find((l) => l.includes('exceeds'))).toContain(
      'DurationSeconds 7200 of arn:aws:iam::3:role/Chain (hop 2)',
    );
  });

  it('MFA: the tokenCode callback is asked at the first assumption and again at each refresh', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    stsMock.on(AssumeRoleCommand).callsFake(() => credentialsFor(900_000));
    let code = 100000;
    const tokenCode = vi.fn(() => String(code++));
    const session = newSession();
    await session.assumeRole(
      { RoleArn: roleArn('2'), SerialNumber: 'arn:aws:iam::1:mfa/me' },
      { tokenCode },
    );
    expect(tokenCode).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(800_000); // inside the refresh window (min(5 min, 25 % of 15 min))
    await session.credentials()();
    await vi.advanceTimersByTimeAsync(0);
    expect(tokenCode).toHaveBeenCalledTimes(2);
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.TokenCode)).toEqual([
      '100000',
      '100001',
    ]);
    await expect(
      newSession().assumeRole({ RoleArn: roleArn('2'), SerialNumber: 'arn:aws:iam::1:mfa/me' }),
    ).rejects.toSatisfy(isSessionParametersError);
  });

  it('a refresh walks the chain again from the lowest expired hop only', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    // hop 1 lives an hour, hop 2 fifteen minutes
    stsMock
      .on(AssumeRoleCommand)
      .callsFake((input: { RoleArn: string }) =>
        credentialsFor(input.RoleArn === roleArn('2') ? 3_600_000 : 900_000),
      );
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('2') });
    await session.assumeRole({ RoleArn: roleArn('3') });
    const arns = () => stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn);
    expect(arns()).toEqual([roleArn('2'), roleArn('3')]);
    await vi.advanceTimersByTimeAsync(16 * 60_000); // hop 2 expired, hop 1 valid
    await session.ready();
    expect(arns()).toEqual([roleArn('2'), roleArn('3'), roleArn('3')]);
    await vi.advanceTimersByTimeAsync(61 * 60_000); // both expired
    await session.ready();
    expect(arns()).toEqual([roleArn('2'), roleArn('3'), roleArn('3'), roleArn('2'), roleArn('3')]);
  });

  it('assumes a SAML role with AssumeRoleWithSAML', async () => {
    stsMock.on(AssumeRoleWithSAMLCommand).callsFake(() => credentialsFor());
    const session = newSession();
    await session.assumeRole(
      {
        RoleArn: roleArn('2'),
        PrincipalArn: 'arn:aws:iam::2:saml-provider/idp',
        SAMLAssertion: 'PHNhbWw+',
      },
      { method: 'AssumeRoleWithSAML' },
    );
    expect(stsMock.commandCalls(AssumeRoleWithSAMLCommand)[0]!.args[0].input).toMatchObject({
      PrincipalArn: 'arn:aws:iam::2:saml-provider/idp',
    });
    expect(await session.accessKey()).toBe('ASIA1');
  });

  it('one provider per distinct chain: assume, revert and assume again reuses it', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('2'), RoleSessionName: 'x' });
    const first = session.credentials();
    expect(session.revert()).toBe(true);
    expect(session.revert()).toBe(false);
    await session.assumeRole({ RoleSessionName: 'x', RoleArn: roleArn('2') });
    expect(session.credentials()).toBe(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('identity calls: memoized, concurrent first calls merged, reset on assume and revert', async () => {
    const session = newSession();
    const ids = await Promise.all(Array.from({ length: 100 }, () => session.accountId()));
    expect(new Set(ids)).toEqual(new Set(['111111111111']));
    expect(await session.userId()).toBe('AIDABASE');
    expect(await session.arn()).toBe('arn:aws:iam::111111111111:user/base');
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    stsMock.on(GetCallerIdentityCommand).resolves({
      Account: '222222222222',
      UserId: 'AROA:x',
      Arn: 'arn:aws:sts::222222222222:assumed-role/Chain/x',
    });
    await session.assumeRole({ RoleArn: roleArn('222222222222') });
    expect(await session.accountId()).toBe('222222222222');
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(2);
    session.revert();
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '111111111111' });
    expect(await session.accountId()).toBe('111111111111');
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(3);
  });

  it("takes an assumed role's identity from a well-formed AssumedRoleUser only, else asks GetCallerIdentity", async () => {
    const session = newSession();
    stsMock.on(AssumeRoleCommand).callsFake(() => ({
      ...credentialsFor(),
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::333333333333:assumed-role/Audit/s',
        AssumedRoleId: 'AROAAUDIT:s',
      },
    }));
    await session.assumeRole({ RoleArn: roleArn('333333333333'), RoleSessionName: 's' });
    expect([await session.accountId(), await session.userId(), await session.arn()]).toEqual([
      '333333333333',
      'AROAAUDIT:s',
      'arn:aws:sts::333333333333:assumed-role/Audit/s',
    ]);
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    // An answer of another shape is not trusted: the session asks STS.
    stsMock.on(AssumeRoleCommand).callsFake(() => ({
      ...credentialsFor(),
      AssumedRoleUser: { Arn: 'not-an-arn', AssumedRoleId: 'AROAX:s' },
    }));
    await session.assumeRole({ RoleArn: roleArn('444444444444'), RoleSessionName: 's' });
    expect(await session.accountId()).toBe('111111111111');
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('a failed identity call is not cached', async () => {
    const session = newSession();
    stsMock
      .on(GetCallerIdentityCommand)
      .rejectsOnce(Object.assign(new Error('boom'), { name: 'InternalFailure' }))
      .resolves({ Account: '1' });
    await expect(session.accountId()).rejects.toThrow('boom');
    expect(await session.accountId()).toBe('1');
  });

  it('a deferred role that fails surfaces in ready() and in identity calls, and is retried', async () => {
    const session = newSession();
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('not trusted'), { name: 'AccessDenied' }))
      .callsFake(() => credentialsFor());
    await session.assumeRole({ RoleArn: roleArn('9') }, { deferred: true });
    await expect(session.ready()).rejects.toThrow(
      /arn:aws:iam::9:role\/Chain \(hop 1 of the role chain\) failed: AccessDenied/,
    );
    await expect(session.ready()).resolves.toBeUndefined();
  });

  it('never shows a secret in toString, JSON, inspect, errors or logs', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('2'), DurationSeconds: 7200 });
    await session.assumeRole({ RoleArn: roleArn('3'), DurationSeconds: 7200 });
    const identity = await session.credentials()();
    const texts = [
      String(session),
      JSON.stringify(session),
      inspect(session, { depth: 10, showHidden: true }),
      JSON.stringify(identity),
      inspect(identity, { depth: 10 }),
      ...logs,
    ];
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/role-secret|role-token/);
    }
    expect(inspect(identity)).toContain('[hidden]');
    expect(identity.secretAccessKey).toMatch(/^SECRETFIXTURE-role-secret/); // still usable by the SDK
  });
});

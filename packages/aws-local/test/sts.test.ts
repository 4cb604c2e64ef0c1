import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, CAROL, DEV, MGMT, PROD, fixture } from './fixture';

let aws: LocalAws;
let clock = Date.now();
beforeAll(async () => {
  aws = await startLocalAws({ ...fixture(), sessionLifetimeSeconds: 60 }, { now: () => clock });
});
afterAll(() => aws.close());

const sts = (
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = 'us-east-1',
) => new STSClient({ endpoint: aws.url, region, credentials, maxAttempts: 1 });

const error = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error & { $metadata: { httpStatusCode: number } };
  }
  throw new Error('expected a rejection');
};

describe('GetCallerIdentity', () => {
  it('answers the user of a long-term key', async () => {
    const out = await sts(ALICE).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(MGMT);
    expect(out.Arn).toBe('arn:aws:iam::111111111111:user/alice');
    expect(out.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('rejects an unknown key with InvalidClientTokenId (403)', async () => {
    const e = await error(
      sts({
        accessKeyId: 'AKIAFIXTUREUNKNOWN01',
        secretAccessKey: 'SECRETFIXTURE-unknown-key',
      }).send(new GetCallerIdentityCommand({})),
    );
    expect(e.name).toBe('InvalidClientTokenId');
    expect(e.$metadata.httpStatusCode).toBe(403);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch (403) and counts it', async () => {
    const before = aws.stats.signatureFailures;
    const e = await error(
      sts({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'SECRETFIXTURE-wrong' }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(e.name).toBe('SignatureDoesNotMatch');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(aws.stats.signatureFailures).toBe(before + 1);
  });

  it('rejects a region the account has not enabled with InvalidClientTokenId', async () => {
    const e = await error(sts(ALICE, 'af-south-1').send(new GetCallerIdentityCommand({})));
    expect(e.name).toBe('InvalidClientTokenId');
    const ok = await sts(BOB, 'af-south-1').send(new GetCallerIdentityCommand({}));
    expect(ok.Account).toBe(DEV);
  });
});

describe('AssumeRole', () => {
  const assume = (
    input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>,
    who = ALICE,
  ) =>
    sts(who).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${DEV}:role/Admin`,
        RoleSessionName: 'test',
        ...input,
      }),
    );

  it('issues session credentials that identify as the assumed role', async () => {
    const out = await assume({});
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    // Marked so that the suites' secrets audit recognises a leak of issued credentials.
    expect(c.SecretAccessKey).toMatch(/^SECRETFIXTURE-issued-[\w-]{32}$/);
    expect(c.SessionToken).toMatch(/^SECRETFIXTURE-issued-token-[\w-]{128}$/);
    expect(c.Expiration!.getTime()).toBe(clock + 60_000);
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/Admin/test`);
    const me = await sts({
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(DEV);
    expect(me.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/Admin/test`);
    expect(me.UserId).toBe(out.AssumedRoleUser!.AssumedRoleId);
  });

  it('expires session credentials after sessionLifetimeSeconds with ExpiredToken (400)', async () => {
    const c = (await assume({})).Credentials!;
    const client = sts({
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    await client.send(new GetCallerIdentityCommand({}));
    clock += 60_000;
    const e = await error(client.send(new GetCallerIdentityCommand({})));
    expect(e.name).toBe('ExpiredToken');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a session key sent without its token', async () => {
    const c = (await assume({})).Credentials!;
    const e = await error(
      sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(e.name).toBe('InvalidClientTokenId');
  });

  it('denies a caller the trust policy does not name with AccessDenied (403)', async () => {
    const e = await error(assume({}, BOB));
    expect(e.name).toBe('AccessDenied');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(
      (await assume({ RoleArn: `arn:aws:iam::${PROD}:role/Admin` }, BOB)).Credentials,
    ).toBeDefined();
  });

  it('denies a role that does not exist', async () => {
    expect((await error(assume({ RoleArn: `arn:aws:iam::${DEV}:role/Nope` }))).name).toBe(
      'AccessDenied',
    );
  });

  it('trusts a named user ARN and checks ExternalId', async () => {
    const RoleArn = `arn:aws:iam::${DEV}:role/Audit`;
    expect((await error(assume({ RoleArn }))).name).toBe('AccessDenied');
    expect((await error(assume({ RoleArn, ExternalId: 'wrong' }))).name).toBe('AccessDenied');
    expect((await assume({ RoleArn, ExternalId: 'ext-1' })).Credentials).toBeDefined();
    expect((await error(assume({ RoleArn, ExternalId: 'ext-1' }, CAROL))).name).toBe(
      'AccessDenied',
    );
  });

  it('requires the MFA serial and code where the role asks for them', async () => {
    const RoleArn = `arn:aws:iam::${DEV}:role/Secure`;
    const SerialNumber = 'arn:aws:iam::111111111111:mfa/alice';
    expect((await error(assume({ RoleArn }))).name).toBe('AccessDenied');
    expect((await error(assume({ RoleArn, SerialNumber, TokenCode: '000000' }))).message).toMatch(
      /MFA/,
    );
    expect(
      (await assume({ RoleArn, SerialNumber, TokenCode: '123456' })).Credentials,
    ).toBeDefined();
  });

  it('validates DurationSeconds against 900 and the role maximum', async () => {
    expect((await error(assume({ DurationSeconds: 899 }))).name).toBe('ValidationError');
    expect((await assume({ DurationSeconds: 7200 })).Credentials).toBeDefined();
    const e = await error(
      assume({ RoleArn: `arn:aws:iam::${PROD}:role/Admin`, DurationSeconds: 7200 }),
    );
    expect(e.name).toBe('ValidationError');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('validates RoleSessionName and RoleArn', async () => {
    expect((await error(assume({ RoleSessionName: 'x' }))).name).toBe('ValidationError');
    expect((await error(assume({ RoleSessionName: 'bad name!' }))).name).toBe('ValidationError');
    expect((await error(assume({ RoleArn: 'arn:aws:iam::12:role/x' }))).name).toBe(
      'ValidationError',
    );
  });

  it('chains roles: a session of a trusted role assumes the next', async () => {
    const first = (
      await assume({ RoleArn: `arn:aws:iam::${MGMT}:role/OrganizationAccountAccessRole` })
    ).Credentials!;
    const hop = sts({
      accessKeyId: first.AccessKeyId!,
      secretAccessKey: first.SecretAccessKey!,
      sessionToken: first.SessionToken!,
    });
    const second = await hop.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEV}:role/Chain`, RoleSessionName: 'hop2' }),
    );
    expect(second.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/Chain/hop2`);
    const long = await error(
      hop.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEV}:role/Admin`,
          RoleSessionName: 'hop2',
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(long.name).toBe('ValidationError');
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  const client = () => new STSClient({ endpoint: aws.url, region: 'us-east-1', maxAttempts: 1 });
  const RoleArn = `arn:aws:iam::${DEV}:role/Web`;

  it('accepts a listed token for a role that trusts its provider, unsigned', async () => {
    const out = await client().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn,
        RoleSessionName: 'ci',
        WebIdentityToken: 'SECRETFIXTURE-web-token-1',
      }),
    );
    expect(out.SubjectFromWebIdentityToken).toBe('repo:acme/app');
    expect(out.Provider).toBe('oidc.example.com');
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/Web/ci`);
  });

  it('rejects an unknown token with InvalidIdentityToken and an untrusting role with AccessDenied', async () => {
    const bad = await error(
      client().send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn,
          RoleSessionName: 'ci',
          WebIdentityToken: 'SECRETFIXTURE-unknown-token',
        }),
      ),
    );
    // AWS sends code InvalidIdentityToken; the SDK models it as InvalidIdentityTokenException.
    expect(bad.name).toBe('InvalidIdentityTokenException');
    expect(bad.$metadata.httpStatusCode).toBe(400);
    const denied = await error(
      client().send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${DEV}:role/Admin`,
          RoleSessionName: 'ci',
          WebIdentityToken: 'SECRETFIXTURE-web-token-1',
        }),
      ),
    );
    expect(denied.name).toBe('AccessDenied');
  });
});

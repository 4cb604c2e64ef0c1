import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { Session } from '../src/Session';
import { isSessionParametersError } from '../src/errors';
import { clearSessionFactory, sessionFactory } from '../src/sessionFactory';

const SECRET = 'SECRETFIXTURE-params-ABCDEFGHIJ';
const TOKEN = 'SECRETFIXTURE-params-token-0123456789';

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
};

describe('Session parameters', () => {
  it('accepts the boto3 names and the SDK names alike', async () => {
    const boto = new Session({
      aws_access_key_id: 'AKID1',
      aws_secret_access_key: SECRET,
      aws_session_token: TOKEN,
      region_name: 'eu-west-1',
    });
    const sdk = new Session({
      accessKeyId: 'AKID1',
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      region: 'eu-west-1',
    });
    for (const s of [boto, sdk]) {
      expect(s.region).toBe('eu-west-1');
      expect(await s.credentials()()).toMatchObject({
        accessKeyId: 'AKID1',
        secretAccessKey: SECRET,
        sessionToken: TOKEN,
      });
      expect(await s.accessKey()).toBe('AKID1');
    }
  });

  it('takes an identity or a provider as credentials', async () => {
    const provider = () => Promise.resolve({ accessKeyId: 'AKID2', secretAccessKey: SECRET });
    expect(await new Session({ credentials: provider }).accessKey()).toBe('AKID2');
    expect(
      await new Session({
        credentials: { accessKeyId: 'AKID3', secretAccessKey: SECRET },
      }).accessKey(),
    ).toBe('AKID3');
  });

  it('without credentials, uses the SDK default chain (environment first)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRET);
    expect(await new Session().accessKey()).toBe('AKIDENV');
  });

  it('refuses unknown, conflicting and incomplete parameters, naming them and no secret', () => {
    const cases: [object, RegExp][] = [
      [{ aws_secret_key: SECRET }, /^SessionParameters\.aws_secret_key: unknown parameter/],
      [
        { aws_access_key_id: 'A', accessKeyId: 'B', aws_secret_access_key: SECRET },
        /aws_access_key_id: conflicts with accessKeyId/,
      ],
      [
        { aws_access_key_id: 'A' },
        /aws_secret_access_key: an access key id and a secret access key go together/,
      ],
      [{ aws_secret_access_key: SECRET }, /aws_access_key_id: an access key id and a secret/],
      [{ aws_session_token: TOKEN }, /aws_session_token: a session token needs/],
      [{ region_name: 42 }, /region_name: must be a non-empty string/],
      [{ credentials: { accessKeyId: 'A' } }, /credentials: must be an identity/],
    ];
    for (const [params, message] of cases) {
      const error = thrown(() => new Session(params));
      expect(isSessionParametersError(error)).toBe(true);
      expect(error.message).toMatch(message);
      expect(`${error.message} ${inspect(error)}`).not.toContain(SECRET);
      expect(`${error.message} ${inspect(error)}`).not.toContain(TOKEN);
    }
  });

  it('refuses bad roles synchronously in the factory, naming the role, and caches nothing then', () => {
    clearSessionFactory();
    const spec = {
      SessionParameters: { region_name: 'eu-west-1' },
      AssumeRoles: [{ RoleArn: 'arn:aws:iam::1:role/A' }, { RoleArn: 'not-an-arn' }],
    };
    expect(() => sessionFactory(spec)).toThrow(
      /^AssumeRole\.RoleArn \(role 2 of the chain\): must be a role ARN/,
    );
    expect(() =>
      sessionFactory({ AssumeRole: { RoleArn: 'arn:aws:iam::1:role/A', DurationSeconds: 10 } }),
    ).toThrow(/at least 900/);
    const ok = sessionFactory({ SessionParameters: { region_name: 'eu-west-1' } });
    expect(sessionFactory({ SessionParameters: { region_name: 'eu-west-1' } })).toBe(ok);
    clearSessionFactory();
    expect(sessionFactory({ SessionParameters: { region_name: 'eu-west-1' } })).not.toBe(ok);
  });

  it('shows no secret in toString, JSON or inspect', async () => {
    const session = new Session({
      aws_access_key_id: 'AKID1',
      aws_secret_access_key: SECRET,
      aws_session_token: TOKEN,
      region_name: 'eu-west-1',
    });
    await session.assumeRole({ RoleArn: 'arn:aws:iam::2:role/R' }, { deferred: true });
    expect(session.revert()).toBe(true);
    const identity = await session.credentials()();
    const texts = [
      String(session),
      JSON.stringify(session),
      inspect(session, { showHidden: true, depth: 20 }),
      JSON.stringify(identity),
      inspect(identity),
    ];
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
    expect(String(session)).toBe('Session(region=eu-west-1, roles=[])');
  });
});

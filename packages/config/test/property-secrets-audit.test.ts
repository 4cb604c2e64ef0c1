/**
 * Secrets audit (issue 9): representative failing paths of every package below the command line
 * (ratelimit, session, account, regional, config), run with fixture secrets of a recognisable shape
 * (`SECRETFIXTURE...`). Everything they produce is captured — error messages, `util.inspect` of the
 * errors and of the objects, their JSON, every logger line, every process warning, the fan-out
 * report — and searched for the secrets at the end. The command line's own output is audited in
 * apps/demo/test/property-cli.test.ts.
 */
import { inspect } from 'node:util';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { Account } from '@cs/account';
import { rateLimitPropertiesFactory } from '@cs/ratelimit';
import { regionalAccountsFactory, RegionalAccountSet } from '@cs/regional';
import { Session } from '@cs/session';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionalAccountSet, getSection, parseConfig } from '../src/index';

const SECRET_KEY = 'SECRETFIXTURE-audit-secret-key-0001';
const SESSION_TOKEN = 'SECRETFIXTURE-audit-session-token-0001';
const PASSWORD = 'SECRETFIXTURE-audit-url-password-0001';
const KEY = { accessKeyId: 'AKIAFIXTUREAUDIT0001', secretAccessKey: SECRET_KEY };
const secrets = new Set([SECRET_KEY, SESSION_TOKEN, PASSWORD]);

/** Everything the failing paths produced. */
const captured: string[] = [];
const capture = (...things: unknown[]) => {
  for (const thing of things) {
    captured.push(
      // Everything inspect can reach: hidden properties (an SDK error's $response), every cause.
      typeof thing === 'string' ? thing : inspect(thing, { depth: null, showHidden: true }),
    );
    if (thing instanceof Error) captured.push(thing.message, thing.stack ?? '', String(thing));
    try {
      captured.push(JSON.stringify(thing) ?? '');
    } catch {
      // cycles: inspect above has it
    }
  }
};
const caught = async (fn: () => unknown): Promise<Error> => {
  try {
    await fn();
  } catch (error) {
    capture(error);
    return error as Error;
  }
  throw new Error('expected a failure');
};
const logger = {
  debug: (m: string, meta?: object) => capture(m, meta),
  info: (m: string, meta?: object) => capture(m, meta),
  warn: (m: string, meta?: object) => capture(m, meta),
  error: (m: string, meta?: object) => capture(m, meta),
};
const onWarning = (warning: Error) => capture(warning);

let aws: LocalAws;
beforeAll(async () => {
  process.on('warning', onWarning);
  aws = await startLocalAws({
    sessionLifetimeSeconds: 900,
    accounts: [
      { id: '111111111111', users: [{ name: 'ci', accessKeys: [KEY] }] },
      {
        id: '222222222222',
        roles: [
          { name: 'Closed', trust: ['999999999999'] },
          { name: 'Open', trust: ['111111111111'] },
        ],
      },
    ],
  });
});
afterAll(async () => {
  process.off('warning', onWarning);
  await aws.close();
});

describe('secrets audit', () => {
  it('ratelimit: a misplaced secret under an unknown key is never echoed', async () => {
    await caught(() =>
      rateLimitPropertiesFactory({ max_count: 1, aws_secret_access_key: SECRET_KEY } as never),
    );
    // (A value given to a known setting, such as max_count, is echoed by design: it is no secret.)
    await caught(() =>
      rateLimitPropertiesFactory({ max_count: -1, token: SESSION_TOKEN } as never),
    );
  });

  it('session: bad parameters, credential-bearing endpoints, refused roles, revoked keys', async () => {
    await caught(() => new Session({ aws_secret_access_key: SECRET_KEY }));
    await caught(() => new Session({ aws_session_token: SESSION_TOKEN }));
    await caught(() => new Session({ EndpointUrl: `https://ci:${PASSWORD}@proxy.example.com` }));
    await caught(
      () =>
        new Session({ ServiceEndpoints: { sts: { '*': `http://ci:${PASSWORD}@127.0.0.1:9` } } }),
    );
    const session = new Session(
      {
        aws_access_key_id: KEY.accessKeyId,
        aws_secret_access_key: SECRET_KEY,
        region_name: 'eu-west-1',
        EndpointUrl: aws.url,
      },
      { logger },
    );
    capture(session, String(session));
    await caught(() =>
      session.assumeRole({
        RoleArn: 'arn:aws:iam::222222222222:role/Closed',
        RoleSessionName: 'a',
      }),
    );
    // A session with a session token that the server does not know.
    const withToken = new Session(
      { ...KEY, sessionToken: SESSION_TOKEN, region: 'eu-west-1', EndpointUrl: aws.url },
      { logger },
    );
    capture(withToken);
    await caught(() => withToken.accountId());
    session.destroy();
    withToken.destroy();
  });

  it('session: credentials STS issued (aws-local marks them SECRETFIXTURE-issued-) stay out of everything', async () => {
    const session = new Session({ ...KEY, region: 'eu-west-1', EndpointUrl: aws.url }, { logger });
    session.on('credentials-refresh', (event) => capture(event));
    await session.assumeRole({
      RoleArn: 'arn:aws:iam::222222222222:role/Open',
      RoleSessionName: 'audit',
    });
    expect(await session.accountId()).toBe('222222222222');
    // The final check looks for the marker, so these secrets are audited like the fixture's own.
    expect((await session.credentials()()).secretAccessKey).toMatch(/^SECRETFIXTURE-issued-/);
    const account = new Account(session);
    capture(session, String(session), account);
    // The issued session dies and the role stops trusting us: calls fail, refreshes fail.
    aws.model.setRoleTrust('222222222222', 'Open', []);
    aws.model.expireSessions();
    await caught(() => account.alias());
    capture(session);
    session.destroy();
  });

  it('account and regional: failing identity and AWS calls, a fan-out report with failures', async () => {
    const session = new Session(
      { ...KEY, sessionToken: SESSION_TOKEN, region: 'eu-west-1', EndpointUrl: aws.url },
      { logger },
    );
    const account = new Account(session);
    capture(account);
    await caught(() => account.alias());
    const container = regionalAccountsFactory({
      Account: {
        SessionParameters: {
          aws_access_key_id: KEY.accessKeyId,
          aws_secret_access_key: SECRET_KEY,
          aws_session_token: SESSION_TOKEN,
          region_name: 'eu-west-1',
          EndpointUrl: aws.url,
        },
      },
      Filter: { Partitions: { aws: { Regions: { include: ['eu-west-1', 'us-east-1'] } } } },
    });
    const ra = container.get('eu-west-1')!;
    capture(ra, container);
    await caught(() => ra.callClient('ec2', 'DescribeInstances'));
    const report = await new RegionalAccountSet(container).map((target, signal) =>
      target.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
    );
    expect(report.summary.failed).toBe(2);
    capture(report, report.results, report.summary, report.failures());
    for (const r of report.results) capture(r, r.ok ? r.value : r.error);
    for (const c of [container]) for (const x of c.values()) x.destroy();
    session.destroy();
  });

  it('config: templates, invalid sections and failing builds with secrets in the environment and the file', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      URL: aws.url,
    };
    const good = [
      'SessionParameters: &p',
      ' aws_access_key_id: {{AWS_ACCESS_KEY_ID}}',
      ' aws_secret_access_key: {{AWS_SECRET_ACCESS_KEY}}',
      ' aws_session_token: {{AWS_SESSION_TOKEN}}',
      ' region_name: eu-west-1',
      ' EndpointUrl: {{URL}}',
      'App:',
      ' RegionalAccountSet:',
      '  - RegionalAccounts:',
      '     Account: { SessionParameters: *p }',
      '     Filter: { Partitions: { aws: { Regions: { include: [eu-west-1] } } } }',
    ];
    // Secrets in the wrong places: an unknown key, a number where a string goes, an endpoint with
    // a password, a missing variable next to them.
    const variants = [
      good.map((l) => l.replace('aws_secret_access_key:', 'aws_secret_acces_key:')),
      good.map((l) => l.replace(' region_name: eu-west-1', ` region_name: ${SECRET_KEY}`)),
      good.map((l) => l.replace('{{URL}}', `https://ci:${PASSWORD}@proxy.example.com`)),
      [...good, ' Extra: {{MISSING}}', `RateLimit: { max_count: ${SECRET_KEY} }`],
      good.map((l) => l.replace('[eu-west-1]', `[${SECRET_KEY}]`)),
    ];
    for (const lines of variants) {
      await caught(() => {
        const config = parseConfig(lines.join('\n'), { env, source: 'audit.yaml', logger });
        return buildRegionalAccountSet(getSection(config, 'App.RegionalAccountSet') as never, {
          source: 'audit.yaml',
        });
      });
    }
    // The valid one builds; its set fails against the server (the token is unknown there).
    const config = parseConfig(good.join('\n'), { env, source: 'audit.yaml', logger });
    const set = buildRegionalAccountSet(getSection(config, 'App.RegionalAccountSet') as never);
    capture(set);
    const report = await set.map((ra, signal) =>
      ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
    );
    capture(report, report.results);
    for (const ra of set) ra.destroy();
  });

  it('random misplaced secrets in configuration text never come out (fast-check)', () => {
    const place = fc.constantFrom(
      (s: string) => `SessionParameters:\n aws_secret_access_key: ${s}\n`,
      (s: string) => `SessionParameters:\n aws_access_key_id: ${s}\n`,
      (s: string) => `RateLimit: { max_count: ${s} }\n`,
      (s: string) => `SessionParameters:\n EndpointUrl: http://u:${s}@h\n`,
      (s: string) => `Account:\n AssumeRole: { RoleArn: ${s} }\n`,
    );
    fc.assert(
      fc.property(place, fc.stringMatching(/^[A-Za-z0-9]{4,12}$/), (make, suffix) => {
        const secret = `SECRETFIXTURE${suffix}`;
        try {
          parseConfig(make(secret), { env: {}, source: 'random.yaml', logger });
        } catch (error) {
          const text = `${(error as Error).message} ${inspect(error, { depth: 10 })}`;
          // Only values: a key is the user's own text, named in the path of a problem.
          expect(text).not.toContain(secret);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('found no secret in anything captured', () => {
    expect(captured.length).toBeGreaterThan(50);
    const text = captured.join('\n');
    // The fixture's secrets, and any other of the marked shape (those aws-local issued).
    const leaks = [...new Set([...secrets, ...(text.match(/SECRETFIXTURE[\w-]*/g) ?? [])])].filter(
      (s) => text.includes(s),
    );
    // Name the leaking line's neighbourhood without printing the secret itself.
    const where = leaks.map((s) => {
      const at = text.indexOf(s);
      return text.slice(Math.max(0, at - 120), at).replace(/\s+/g, ' ');
    });
    expect(where).toEqual([]);
  });
});

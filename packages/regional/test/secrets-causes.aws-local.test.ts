// Issue 14, item 6: every error and report the stack produces in failing paths against aws-local
// (expired tokens, 500s, 503s, dropped connections, throttling, access denied, refused refreshes;
// single calls, paginations and fan-out reports) is inspected with showHidden and depth null,
// through every cause, and holds no secret: not the fixture's, not the ones aws-local issued.
import { inspect } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Account } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { RateLimitProperties } from '@cs/ratelimit';
import { Session } from '@cs/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegionalAccount, RegionalAccountSet, RegionalAccounts } from '../src/index';
import type { FanOutReport } from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTURECAUSES001', secretAccessKey: 'SECRETFIXTURE-causes-key' };
const UNKNOWN_TOKEN = 'SECRETFIXTURE-causes-unknown-token';
const ID = '111111111111';
const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];
const OPEN = `arn:aws:iam::${ID}:role/Open`;

/** Every text `value` can show: inspect with everything, JSON, String; and the same of each cause. */
const texts: string[] = [];
let inspected = 0;
const audit = (value: unknown, seen = new Set<unknown>()): void => {
  if (seen.has(value)) return;
  seen.add(value);
  inspected += 1;
  texts.push(inspect(value, { showHidden: true, depth: null, getters: false }));
  texts.push(String(value));
  try {
    texts.push(JSON.stringify(value) ?? '');
  } catch {
    // a cycle: inspect has it
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as { cause?: unknown; errors?: unknown; error?: unknown };
  if ('cause' in record) audit(record.cause, seen);
  if (Array.isArray(record.errors)) for (const e of record.errors) audit(e, seen);
  if ('error' in record) audit(record.error, seen);
};
const auditReport = (report: FanOutReport<unknown>): void => {
  audit(report);
  audit(report.summary);
  for (const result of report.results) audit(result);
  for (const failure of report.failures()) audit(failure);
};
const failing = async (fn: () => Promise<unknown>): Promise<unknown> => {
  try {
    await fn();
  } catch (error) {
    audit(error);
    return error;
  }
  throw new Error('expected a failure');
};

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({
    sessionLifetimeSeconds: 900,
    accounts: [
      {
        id: ID,
        users: [{ name: 'ci', accessKeys: [KEY] }],
        roles: [
          { name: 'Open', trust: [ID] },
          { name: 'Closed', trust: ['999999999999'] },
        ],
        regions: REGIONS,
        instances: { 'eu-west-1': 7, 'us-east-1': 7, 'us-west-2': 7 },
      },
    ],
  });
});
afterAll(() => aws.close());

/** A set of one container (3 regions) whose account assumed role Open: an issued session token. */
const assumedSet = (name: string): RegionalAccountSet =>
  new RegionalAccountSet(
    new RegionalAccounts({
      Account: {
        SessionParameters: {
          aws_access_key_id: KEY.accessKeyId,
          aws_secret_access_key: KEY.secretAccessKey,
          region_name: 'eu-west-1',
          EndpointUrl: aws.url,
        },
        AssumeRole: { RoleArn: OPEN, RoleSessionName: name },
      },
      MaxAttempts: 2,
      Filter: { Partitions: { aws: { Regions: { include: [...REGIONS] } } } },
    }),
  );

/** Every target: one EC2 call, a pagination and a raw SDK call, no retries. */
const work = async (ra: RegionalAccount, signal: AbortSignal): Promise<unknown> => {
  const once = { maxAttempts: 1 };
  await ra.callClient('ec2', 'DescribeInstances', {}, once, { signal });
  for await (const _ of ra.paginate('ec2', 'DescribeInstances', { MaxResults: 5 }, { signal }));
  return ra.client(STSClient, once).send(new GetCallerIdentityCommand({}), { abortSignal: signal });
};

describe('failing paths with session tokens in every request', () => {
  it.each([
    ['an injected 500', () => aws.inject.fault({ fault: 500, service: 'ec2' })],
    ['an injected 503', () => aws.inject.fault({ fault: 503, service: 'ec2' })],
    ['dropped connections', () => aws.inject.fault({ fault: 'drop', service: 'ec2' })],
    [
      'raw SDK calls dropped',
      () => aws.inject.fault({ fault: 'drop', service: 'sts', operation: 'GetCallerIdentity' }),
    ],
    [
      'throttling',
      () => aws.inject.rateLimit({ requestsPerSecond: 0.001, burst: 1, service: 'ec2' }),
    ],
    [
      'expired session tokens',
      () => {
        aws.model.expireSessions();
        return () => {};
      },
    ],
  ])('%s: the fan-out report, its failures and their causes', async (name, inject) => {
    const set = assumedSet(name.replace(/\W+/g, '-'));
    // The role is assumed first, so that the faults meet requests that carry its token.
    await set.map((ra) => ra.account().accountId());
    const stop = inject();
    const report = await set.map(work, { concurrency: 3 });
    stop();
    expect(report.summary.failed).toBeGreaterThan(0);
    auditReport(report);
    for (const ra of set) ra.destroy();
  });

  it('access denied, a refused refresh and a revoked key: single calls, accounts and sessions', async () => {
    const session = new Session({ ...KEY, region: 'eu-west-1', EndpointUrl: aws.url });
    await session.assumeRole({ RoleArn: OPEN, RoleSessionName: 'denied' });
    const account = new Account(session);
    const ra = new RegionalAccount(new RateLimitProperties(), account, 'eu-west-1', {
      maxAttempts: 1,
    });
    await failing(() =>
      ra.callClient('sts', 'AssumeRole', {
        RoleArn: `arn:aws:iam::${ID}:role/Closed`,
        RoleSessionName: 'denied',
      }),
    );
    await failing(() =>
      session.assumeRole({ RoleArn: `arn:aws:iam::${ID}:role/Closed`, RoleSessionName: 'x' }),
    );
    // The issued session dies, and its refresh is refused: the role trusts nobody any more.
    aws.model.setRoleTrust(ID, 'Open', []);
    aws.model.expireSessions();
    await failing(() => ra.callClient('ec2', 'DescribeRegions'));
    // The account id came with the role's credentials: the alias falls back to it when IAM
    // answers, and fails with the listing's error when it does not; either is audited.
    await account.alias().then(audit, audit);
    await session.accountId().then(audit, audit);
    await failing(() => ra.callClient('sts', 'GetCallerIdentity'));
    aws.model.setRoleTrust(ID, 'Open', [ID]);
    ra.destroy();
    session.destroy();
    // A token the server never issued.
    const stranger = new Session({
      ...KEY,
      sessionToken: UNKNOWN_TOKEN,
      region: 'eu-west-1',
      EndpointUrl: aws.url,
    });
    const strangerRa = new RegionalAccount(
      new RateLimitProperties(),
      new Account(stranger),
      'us-east-1',
    );
    await failing(() => strangerRa.callClient('ec2', 'DescribeInstances'));
    await failing(async () => {
      for await (const _ of strangerRa.paginate('ec2', 'DescribeInstances'));
    });
    strangerRa.destroy();
    stranger.destroy();
  });

  it('found no secret in anything inspected', () => {
    expect(inspected).toBeGreaterThan(100);
    const text = texts.join('\n');
    const found = [...new Set(text.match(/SECRETFIXTURE[\w-]*/g) ?? [])];
    // Where, without the secret itself.
    const where = found.map((s) => {
      const at = text.indexOf(s);
      return text.slice(Math.max(0, at - 160), at).replace(/\s+/g, ' ');
    });
    expect(where).toEqual([]);
  });
});

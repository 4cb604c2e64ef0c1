import { clearAccountFactory } from '@cs/account';
import type { Fixture, LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { clearSessionFactory } from '@cs/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRegionalAccountSet,
  buildRegionalAccountSetFromOrganization,
  getSection,
  loadConfig,
  parseConfig,
} from '../src/index';

// A configuration built and run against @cs/aws-local, over real sockets with real signatures:
// a role chain through two accounts, a direct role in another, region groups, a limit per region,
// and a fan-out call on every target.

const key = { accessKeyId: 'AKIAFIXTURECONFIG001', secretAccessKey: 'SECRETFIXTURE-config: #1' };

const fixture: Fixture = {
  accounts: [
    { id: '111111111111', users: [{ name: 'ci', accessKeys: [key] }] },
    {
      id: '222222222222',
      aliases: ['hop-account'],
      roles: [
        { name: 'Hop', trust: ['arn:aws:iam::111111111111:user/ci'] },
        { name: 'Admin', trust: ['111111111111'] },
      ],
      instances: { 'us-west-1': 2, 'us-west-2': 3 },
    },
    {
      id: '333333333333',
      aliases: ['target-account'],
      roles: [{ name: 'Target', trust: ['arn:aws:iam::222222222222:role/Hop'] }],
      instances: { 'us-east-1': 4, 'eu-west-1': 1 },
    },
    {
      id: '444444444444',
      name: 'sandbox',
      parent: 'Sandbox',
      roles: [{ name: 'OrganizationAccountAccessRole', trust: ['111111111111'] }],
    },
    {
      id: '555555555555',
      name: 'closed',
      parent: 'Sandbox',
      status: 'SUSPENDED',
      roles: [{ name: 'OrganizationAccountAccessRole', trust: ['111111111111'] }],
    },
  ],
  organization: { managementAccountId: '111111111111', units: [{ name: 'Sandbox' }] },
};

const config = `
SessionParameters: &creds
  aws_access_key_id: {{ KEY_ID }}
  aws_secret_access_key: {{ SECRET }}
  region_name: us-east-1
  EndpointUrl: {{ ENDPOINT }}

RateLimit: &limit
  max_count: 20
  interval: 1
  block: True

Account: &chain
  SessionParameters: *creds
  AssumeRoles:
    - RoleArn: arn:aws:iam::222222222222:role/Hop
      RoleSessionName: hop
    - RoleArn: arn:aws:iam::333333333333:role/Target
      RoleSessionName: target

Account: &direct
  SessionParameters: *creds
  AssumeRole:
    RoleArn: arn:aws:iam::222222222222:role/Admin
    RoleSessionName: admin

YourApp:
  RegionalAccountSet:
    - RegionalAccounts:
        Account: *chain
        RateLimit: *limit
        Filter:
          Partitions:
            aws:
              Regions:
                include: [us-east-1, eu-west-1]
    - RegionalAccounts:
        Account: *direct
        RateLimit: *limit
        RateLimitRegionSpec:
          us-west-2: { max_count: 5, interval: 1, block: True }
        Filter:
          Partitions:
            aws:
              Regions:
                include: ['us-west-*']
`;

describe('a configuration run end to end against aws-local', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws(fixture);
  });
  afterAll(async () => {
    clearAccountFactory();
    clearSessionFactory();
    await aws.close();
  });

  it('role chain, two accounts, region groups, and a fan-out call on every target', async () => {
    const loaded = await loadConfig('e2e.yaml', {
      readFile: async () => config,
      env: { KEY_ID: key.accessKeyId, SECRET: key.secretAccessKey, ENDPOINT: aws.url },
    });
    const set = buildRegionalAccountSet(
      getSection(loaded, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'),
    );
    expect(aws.stats.requests).toBe(0); // building made no call

    const identities = await set.map(
      async (ra) => {
        const identity = await ra.callClient<{ Arn?: string }>('sts', 'GetCallerIdentity');
        const instances = await ra.callClient<{ Reservations?: { Instances?: unknown[] }[] }>(
          'ec2',
          'DescribeInstances',
        );
        const count = (instances.Reservations ?? []).reduce(
          (n, r) => n + (r.Instances?.length ?? 0),
          0,
        );
        return { arn: identity.Arn, instances: count };
      },
      { concurrency: 4 },
    );

    expect(identities.summary).toMatchObject({ succeeded: 4, failed: 0, skipped: 0 });
    const byTarget = Object.fromEntries(
      identities.results.map((r) => [
        `${r.accountId}/${r.region}`,
        r.ok ? r.value : String(r.error),
      ]),
    );
    expect(byTarget).toEqual({
      '333333333333/us-east-1': {
        arn: 'arn:aws:sts::333333333333:assumed-role/Target/target',
        instances: 4,
      },
      '333333333333/eu-west-1': {
        arn: 'arn:aws:sts::333333333333:assumed-role/Target/target',
        instances: 1,
      },
      '222222222222/us-west-1': {
        arn: 'arn:aws:sts::222222222222:assumed-role/Admin/admin',
        instances: 2,
      },
      '222222222222/us-west-2': {
        arn: 'arn:aws:sts::222222222222:assumed-role/Admin/admin',
        instances: 3,
      },
    });
    // One credentials object per chain, shared by every region: the chain's two hops and the
    // direct role were each assumed once.
    expect(aws.stats.byOperation['sts:AssumeRole']).toBe(3);
    // The per-region limit replaced the container's in us-west-2.
    const limits = Object.fromEntries([...set].map((ra) => [ra.region(), ra.ratelimit.maxCount]));
    expect(limits).toEqual({ 'us-east-1': 20, 'eu-west-1': 20, 'us-west-1': 20, 'us-west-2': 5 });
  });

  it('an Organization section: the members of an OU, each through its role, suspended ones skipped', async () => {
    const loaded = parseConfig(
      [
        'YourApp:',
        '  RegionalAccountSet:',
        '    - RegionalAccounts:',
        '        Organization:',
        '          Account:',
        '            SessionParameters:',
        '              aws_access_key_id: {{ KEY_ID }}',
        '              aws_secret_access_key: {{ SECRET }}',
        '              region_name: us-east-1',
        '              EndpointUrl: {{ ENDPOINT }}',
        '          OUs: [Sandbox]',
        '        Filter: { Partitions: { aws: { Regions: { include: [eu-west-1] } } } }',
      ].join('\n'),
      { env: { KEY_ID: key.accessKeyId, SECRET: key.secretAccessKey, ENDPOINT: aws.url } },
    );
    const set = await buildRegionalAccountSetFromOrganization(
      getSection(loaded, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'),
    );
    const report = await set.map(
      async (ra) => (await ra.callClient<{ Account?: string }>('sts', 'GetCallerIdentity')).Account,
    );
    expect(
      report.results.map((r) => [r.accountId, r.region, r.status, r.ok ? r.value : undefined]),
    ).toEqual(
      expect.arrayContaining([
        ['444444444444', 'eu-west-1', 'succeeded', '444444444444'],
        ['555555555555', 'eu-west-1', 'skipped', undefined],
      ]),
    );
    expect(report.results).toHaveLength(2);
  });
});

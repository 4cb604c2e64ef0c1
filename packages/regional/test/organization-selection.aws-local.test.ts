import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isOrganizationSpecError } from '../src/organization/errors';
import { OrganizationAccounts } from '../src/organization/OrganizationAccounts';
import type { OrganizationSpec } from '../src/organization/OrganizationAccounts';
import { regionalAccountSetFromOrganization } from '../src/organization/regionalAccountSetFromOrganization';

const MGMT = '111111111111';
const key = { accessKeyId: 'AKIAFIXTUREORGSEL001', secretAccessKey: 'SECRETFIXTURE-org-select' };
const trusted = [{ name: 'OrganizationAccountAccessRole', trust: [MGMT] }];
const FAST = { max_count: 100, interval: 1 };

let aws: LocalAws;
const mgmtAccount = () => ({
  SessionParameters: {
    aws_access_key_id: key.accessKeyId,
    aws_secret_access_key: key.secretAccessKey,
    region_name: 'us-east-1',
    EndpointUrl: aws.url,
  },
});
const source = (extra: Partial<OrganizationSpec> = {}) =>
  new OrganizationAccounts({ Account: mgmtAccount(), RateLimit: FAST, ...extra });
const ids = (members: { id: string }[]) => members.map((m) => m.id);

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      {
        id: MGMT,
        name: 'management',
        users: [
          { name: 'ci', accessKeys: [key] },
          {
            name: 'auditor',
            accessKeys: [
              {
                accessKeyId: 'AKIAFIXTUREORGSEL002',
                secretAccessKey: 'SECRETFIXTURE-org-select-2',
              },
            ],
          },
        ],
        roles: [{ name: 'Audit', trust: [MGMT] }],
        tags: { env: 'prod', team: 'platform' },
      },
      {
        id: '222222222222',
        name: 'prod-a',
        roles: trusted,
        parent: 'Workloads',
        tags: { env: 'prod', team: 'web' },
      },
      {
        id: '333333333333',
        name: 'prod-b',
        roles: trusted,
        parent: 'Sandbox',
        tags: { env: 'prod' },
      },
      { id: '444444444444', name: 'dev', roles: trusted, tags: { env: 'dev', team: 'web' } },
      { id: '555555555555', name: 'untagged', roles: trusted },
    ],
    organization: {
      managementAccountId: MGMT,
      units: [{ name: 'Workloads', children: [{ name: 'Sandbox' }] }],
    },
  });
});

afterAll(async () => {
  await aws.close();
});

beforeEach(() => aws.resetStats());

describe('selecting organisation members by tags', () => {
  it('keeps only the accounts carrying every tag, with one ListTagsForResource per listed account', async () => {
    const members = await source({ Tags: { env: 'prod', team: 'web' } }).members();
    expect(ids(members)).toEqual(['222222222222']);
    expect(members[0]!.tags).toEqual({ env: 'prod', team: 'web' });
    expect(aws.stats.byOperation['organizations:ListTagsForResource']).toBe(5);
  });

  it('matches tag values as globs and never matches an account without the key', async () => {
    const members = await source({ Tags: { env: 'pro*' } }).members();
    expect(ids(members)).toEqual([MGMT, '222222222222', '333333333333']);
    expect(ids(await source({ Tags: { team: '*' } }).members())).not.toContain('555555555555');
  });

  it('reads each account’s tags once for the life of the source', async () => {
    const org = source({ Tags: { env: 'dev' } });
    expect(ids(await org.members())).toEqual(['444444444444']);
    expect(ids(await org.members())).toEqual(['444444444444']);
    expect(aws.stats.byOperation['organizations:ListTagsForResource']).toBe(5);
  });

  it('asks only for the accounts left after include, exclude and the OU exclusions', async () => {
    await source({ Tags: { env: 'prod' }, exclude: ['dev', 'untagged'] }).members();
    expect(aws.stats.byOperation['organizations:ListTagsForResource']).toBe(3);
  });

  it('makes no ListTagsForResource call without a Tags condition', async () => {
    await source().members();
    expect(aws.stats.byOperation['organizations:ListTagsForResource']).toBeUndefined();
  });
});

describe('excluding organisational units and the management account', () => {
  it('drops every account under an OU given by path, recursively', async () => {
    expect(ids(await source({ ExcludeOUs: ['Workloads'] }).members())).toEqual([
      MGMT,
      '444444444444',
      '555555555555',
    ]);
    expect(ids(await source({ ExcludeOUs: ['Workloads/Sandbox'] }).members())).toEqual([
      MGMT,
      '222222222222',
      '444444444444',
      '555555555555',
    ]);
  });

  it('drops the accounts under an OU given by id, and wins over OUs', async () => {
    const all = await source({ OUs: ['Workloads'] }).members();
    expect(ids(all)).toEqual(['222222222222', '333333333333']);
    const sandboxId = await (async () => {
      const ra = source().organizationsClient();
      for await (const page of ra.paginate<{ Roots?: { Id?: string }[] }>(
        'organizations',
        'ListRoots',
        {},
      )) {
        const root = page.Roots?.[0]?.Id ?? '';
        for await (const ous of ra.paginate<{
          OrganizationalUnits?: { Id?: string; Name?: string }[];
        }>('organizations', 'ListOrganizationalUnitsForParent', { ParentId: root })) {
          const workloads =
            ous.OrganizationalUnits?.find((ou) => ou.Name === 'Workloads')?.Id ?? '';
          for await (const inner of ra.paginate<{
            OrganizationalUnits?: { Id?: string; Name?: string }[];
          }>('organizations', 'ListOrganizationalUnitsForParent', { ParentId: workloads })) {
            return inner.OrganizationalUnits?.[0]?.Id ?? '';
          }
        }
      }
      return '';
    })();
    expect(sandboxId).toMatch(/^ou-/);
    expect(ids(await source({ OUs: ['Workloads'], ExcludeOUs: [sandboxId] }).members())).toEqual([
      '222222222222',
    ]);
  });

  it('names the exclusion whose OU path is not found', async () => {
    const error = await source({ ExcludeOUs: ['Workloads/Nope'] })
      .members()
      .catch((e: unknown) => e);
    expect(isOrganizationSpecError(error)).toBe(true);
    expect(String((error as Error).message)).toContain('Organization.ExcludeOUs');
    expect(String((error as Error).message)).toContain('"Nope"');
  });

  it('leaves out the management account, found with DescribeOrganization', async () => {
    const members = await source({ ExcludeManagementAccount: true }).members();
    expect(ids(members)).not.toContain(MGMT);
    expect(ids(members)).toHaveLength(4);
    expect(aws.stats.byOperation['organizations:DescribeOrganization']).toBe(1);
  });
});

describe('parameters of the member roles', () => {
  it('passes Policy, PolicyArns, DurationSeconds and ExternalId to every member role, and the role is assumed', async () => {
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
    });
    const PolicyArns = [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];
    const spec: OrganizationSpec = {
      Account: mgmtAccount(),
      RateLimit: FAST,
      Policy,
      PolicyArns,
      DurationSeconds: 900,
    };
    const before = structuredClone(spec);
    const members = await new OrganizationAccounts(spec).members();
    const prod = members.find((m) => m.id === '222222222222')!;
    expect(prod.accountSpec?.AssumeRoles?.at(-1)).toEqual({
      RoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      RoleSessionName: 'cs-aws-organization',
      DurationSeconds: 900,
      Policy,
      PolicyArns,
    });
    expect(await prod.account!.accountId()).toBe('222222222222');
    expect(spec).toEqual(before);
  });
});

describe('keys an Organization spec may hold', () => {
  it('refuses an unknown key, naming it, as the configuration validator does', () => {
    const attempt = () =>
      new OrganizationAccounts({
        Account: mgmtAccount(),
        Tag: { env: 'prod' },
      } as OrganizationSpec);
    expect(attempt).toThrow(/Organization\.Tag: unknown key/);
    expect(() => attempt()).toSatisfy(() => {
      try {
        attempt();
        return false;
      } catch (error) {
        return isOrganizationSpecError(error);
      }
    });
  });

  it('refuses the unknown key through regionalAccountSetFromOrganization before any call', async () => {
    const error = await regionalAccountSetFromOrganization({
      RegionalAccounts: {
        Organization: { Account: mgmtAccount(), ExcludeOU: ['Workloads'] } as OrganizationSpec,
      },
    }).catch((e: unknown) => e);
    expect(isOrganizationSpecError(error)).toBe(true);
    expect(aws.stats.requests).toBe(0);
  });

  it('refuses values of the wrong shape, each named', () => {
    expect(
      () =>
        new OrganizationAccounts({
          Account: mgmtAccount(),
          Tags: { env: 1 } as unknown as Record<string, string>,
          ExcludeManagementAccount: 'yes' as unknown as boolean,
          DurationSeconds: 60,
          PolicyArns: ['arn:aws:iam::aws:policy/X'] as unknown as { arn: string }[],
        }),
    ).toThrow(/Tags\.env[\s\S]*ExcludeManagementAccount[\s\S]*PolicyArns[\s\S]*DurationSeconds/);
  });
});

describe('a set from the organisation with a tag condition', () => {
  it('fans out to the tagged accounts only', async () => {
    const set = await regionalAccountSetFromOrganization({
      RegionalAccounts: {
        Organization: { Account: mgmtAccount(), RateLimit: FAST, Tags: { team: 'web' } },
        Filter: { Partitions: { aws: { Regions: { include: ['us-east-1', 'eu-west-1'] } } } },
      },
    });
    const report = await set.map((ra) => ra.callClient('sts', 'GetCallerIdentity', {}));
    expect(report.results.map((r) => `${r.accountId}/${r.region}/${r.status}`).sort()).toEqual([
      '222222222222/eu-west-1/succeeded',
      '222222222222/us-east-1/succeeded',
      '444444444444/eu-west-1/succeeded',
      '444444444444/us-east-1/succeeded',
    ]);
  });
});

describe('IAM and Organizations operations of aws-local used by these features', () => {
  it('lists IAM users and roles across pages', async () => {
    const ra = source().organizationsClient();
    const users: string[] = [];
    for await (const page of ra.paginate<{ Users?: { UserName?: string }[] }>('iam', 'ListUsers', {
      MaxItems: 1,
    })) {
      users.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
    }
    expect(users).toEqual(['auditor', 'ci']);
    const roles: string[] = [];
    for await (const page of ra.paginate<{ Roles?: { RoleName?: string }[] }>(
      'iam',
      'ListRoles',
      {},
    )) {
      roles.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    }
    expect(roles).toEqual(['Audit']);
  });

  it('answers ListTagsForResource for an unknown account with TargetNotFoundException', async () => {
    const error = await source()
      .accountTags('999999999999')
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('TargetNotFoundException');
  });
});

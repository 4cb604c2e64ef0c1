import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { accountFactory } from '@cs/account';
import { isRateLimitConfigError, rateLimitPropertiesFactory } from '@cs/ratelimit';
import type { RateLimitProperties, RateLimitSpec } from '@cs/ratelimit';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAccountNotActiveError, isOrganizationSpecError } from '../src/organization/errors';
import { OrganizationAccounts } from '../src/organization/OrganizationAccounts';
import type { RegionalAccount } from '../src/account/RegionalAccount';
import { RegionalAccounts } from '../src/regions/RegionalAccounts';
import { regionalAccountSetFromOrganization } from '../src/organization/regionalAccountSetFromOrganization';
import { RegionalAccountSet } from '../src/fanout/RegionalAccountSet';

const MGMT = '111111111111';
const key = { accessKeyId: 'AKIAFIXTUREORGMGMT01', secretAccessKey: 'SECRETFIXTURE-org-mgmt' };
const trusted = [{ name: 'OrganizationAccountAccessRole', trust: [MGMT] }];

let aws: LocalAws;
const mgmtAccount = () => ({
  SessionParameters: {
    aws_access_key_id: key.accessKeyId,
    aws_secret_access_key: key.secretAccessKey,
    region_name: 'us-east-1',
    EndpointUrl: aws.url,
  },
});
/** Organizations calls at test speed; one test checks the conservative default. */
const FAST = { max_count: 100, interval: 1 };
const include = (...regions: string[]) => ({
  Partitions: { aws: { Regions: { include: regions } } },
});

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      {
        id: MGMT,
        name: 'management',
        users: [{ name: 'ci', accessKeys: [key] }],
        optInRegions: ['af-south-1'],
      },
      { id: '222222222222', name: 'prod', roles: trusted, parent: 'Workloads' },
      { id: '333333333333', name: 'old', status: 'SUSPENDED', roles: trusted },
      {
        id: '444444444444',
        name: 'locked',
        roles: [{ name: 'OrganizationAccountAccessRole', trust: ['999999999999'] }],
      },
      { id: '555555555555', name: 'sandbox-a', roles: trusted, parent: 'Sandbox' },
      {
        id: '666666666666',
        name: 'partner',
        roles: [{ name: 'PartnerRole', trust: [MGMT], externalId: 'ext-42' }],
      },
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

describe('discovery mode against aws-local', () => {
  it('leaves out the opt-in regions the account has not enabled, asking once per account', async () => {
    aws.resetStats();
    const container = await RegionalAccounts.create({
      Account: mgmtAccount(),
      Filter: { Discover: true },
    });
    const regions = [...container.keys()];
    expect(regions).toContain('us-east-1');
    expect(regions).toContain('af-south-1');
    expect(regions).not.toContain('ap-east-1');
    expect(regions).not.toContain('me-south-1');
    const other = await RegionalAccounts.create({
      Account: mgmtAccount(),
      Filter: { Discover: true, Partitions: { aws: { Regions: { include: ['a*'] } } } },
    });
    expect([...other.keys()].every((r) => r.startsWith('a'))).toBe(true);
    expect(other.has('ap-east-1')).toBe(false);
    expect(other.has('af-south-1')).toBe(true);
    expect(aws.stats.byOperation['ec2:DescribeRegions']).toBe(1);
  });
});

describe('OrganizationAccounts against aws-local', () => {
  it('lists every member, marks the suspended one inactive, and builds Accounts by role', async () => {
    const members = await new OrganizationAccounts({
      Account: mgmtAccount(),
      RateLimit: FAST,
    }).members();
    expect(members.map((m) => [m.id, m.name, m.active])).toEqual([
      [MGMT, 'management', true],
      ['222222222222', 'prod', true],
      ['333333333333', 'old', false],
      ['444444444444', 'locked', true],
      ['555555555555', 'sandbox-a', true],
      ['666666666666', 'partner', true],
    ]);
    expect(members[2]).toMatchObject({ status: 'SUSPENDED', account: undefined });
    expect(members[1]!.accountSpec?.AssumeRoles?.at(-1)).toMatchObject({
      RoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
    });
    expect(await members[1]!.account!.accountId()).toBe('222222222222');
  });

  it('lists the accounts under OUs recursively, by id or by path', async () => {
    const byPath = await new OrganizationAccounts({
      Account: mgmtAccount(),
      OUs: ['Workloads'],
      RateLimit: FAST,
    }).members();
    expect(byPath.map((m) => m.id)).toEqual(['222222222222', '555555555555']);
    const workloads = (
      await new OrganizationAccounts({ Account: mgmtAccount(), RateLimit: FAST })
        .organizationsClient()
        .callClient<{ OrganizationalUnits: { Id: string; Name: string }[] }>(
          'organizations',
          'ListOrganizationalUnitsForParent',
          {
            ParentId: (
              await new OrganizationAccounts({ Account: mgmtAccount(), RateLimit: FAST })
                .organizationsClient()
                .callClient<{ Roots: { Id: string }[] }>('organizations', 'ListRoots')
            ).Roots[0]!.Id,
          },
        )
    ).OrganizationalUnits.find((ou) => ou.Name === 'Workloads')!.Id;
    const byId = await new OrganizationAccounts({
      Account: mgmtAccount(),
      OUs: [workloads],
      RateLimit: FAST,
    }).members();
    expect(byId.map((m) => m.id)).toEqual(['222222222222', '555555555555']);
    await expect(
      new OrganizationAccounts({
        Account: mgmtAccount(),
        OUs: ['Workloads/Nope'],
        RateLimit: FAST,
      }).members(),
    ).rejects.toThrow(/no organisational unit named "Nope" under Workloads/);
  });

  it('paces Organizations calls with its own conservative default limit', async () => {
    const org = new OrganizationAccounts({ Account: mgmtAccount(), OUs: ['Workloads/Sandbox'] });
    expect(org.organizationsClient().ratelimit).toMatchObject({
      maxCount: 2,
      interval: 1000,
      block: true,
    });
    aws.resetStats();
    expect((await org.members()).map((m) => m.id)).toEqual(['555555555555']);
    const calls = aws.stats.log.filter((entry) => entry.service === 'organizations').length;
    expect(calls).toBeGreaterThanOrEqual(5);
    // 2 grants per second at the client; the window is 100 ms shorter than a second, because a
    // request reaches the server some time after its grant (the first one opens the connection).
    const times = aws.stats.log
      .filter((e) => e.service === 'organizations')
      .map((e) => Math.round(e.time));
    expect(
      aws.maxRequestsInWindow(900, { service: 'organizations' }),
      times.join(','),
    ).toBeLessThanOrEqual(2);
  });

  it('applies include and exclude by id or name, globs too, exclude winning', async () => {
    const members = await new OrganizationAccounts({
      Account: mgmtAccount(),
      RateLimit: FAST,
      include: ['sandbox-*', '222222222222', 'partner'],
      exclude: ['partner'],
    }).members();
    expect(members.map((m) => m.id)).toEqual(['222222222222', '555555555555']);
  });

  it('refuses a bad spec with every problem listed', () => {
    let caught: unknown;
    try {
      new OrganizationAccounts({ RoleName: 'a/b', OUs: [''] } as never);
    } catch (e) {
      caught = e;
    }
    expect(isOrganizationSpecError(caught)).toBe(true);
    expect((caught as { problems: string[] }).problems).toEqual([
      expect.stringMatching(/^Organization\.Account: required/),
      expect.stringMatching(/^Organization\.RoleName: "a\/b" is not a role name/),
      expect.stringMatching(/^Organization\.OUs\[0\]: must be a non-empty string/),
    ]);
    expect(
      () => new OrganizationAccounts({ Account: accountFactory(mgmtAccount()) as never }),
    ).toThrow(/give the account spec .*not an Account object/);
  });

  it('passes the ExternalId and role name to every member role', async () => {
    const set = await regionalAccountSetFromOrganization({
      RegionalAccounts: {
        Organization: {
          Account: mgmtAccount(),
          RoleName: 'PartnerRole',
          ExternalId: 'ext-42',
          include: ['666666666666'],
          RateLimit: FAST,
        },
        Filter: include('us-east-1'),
      },
    });
    const report = await set.map((ra) => ra.send(STSClient, new GetCallerIdentityCommand({})));
    expect(report.results.map((r) => [r.accountId, r.status])).toEqual([
      ['666666666666', 'succeeded'],
    ]);
  });
});

describe('regionalAccountSetFromOrganization with the factory options after the specs', () => {
  /** A limit spec with a `store` (which the type of a spec does not name). */
  const withStore = (spec: RateLimitSpec, store: string): RateLimitSpec =>
    ({ ...spec, store: { name: store } }) as RateLimitSpec;

  it('gives createRateLimit and loadServiceModule to every member container and to the Organizations calls', async () => {
    const loaded: string[] = [];
    const loadServiceModule = async (name: string): Promise<Record<string, unknown>> => {
      loaded.push(name);
      return (await import(name)) as Record<string, unknown>;
    };
    const created = new Map<unknown, RateLimitProperties[]>();
    const createRateLimit = (spec: RateLimitSpec & { store: unknown }): RateLimitProperties => {
      const { store, ...values } = spec as RateLimitSpec & { store: { name: string } };
      const limit = rateLimitPropertiesFactory(values);
      created.set(store.name, [...(created.get(store.name) ?? []), limit]);
      return limit;
    };
    const set = await regionalAccountSetFromOrganization(
      {
        RegionalAccounts: {
          Organization: {
            Account: mgmtAccount(),
            include: ['prod', 'sandbox-a', 'old'],
            RateLimit: withStore({ max_count: 97, interval: 1 }, 'organizations'),
          },
          Filter: include('us-east-1', 'eu-west-1'),
          RateLimit: withStore({ max_count: 7, interval: 1 }, 'members'),
        },
      },
      { createRateLimit, loadServiceModule },
    );
    // The Organizations calls went through the limit and the loader given.
    expect(created.get('organizations')?.map((l) => l.maxCount)).toEqual([97]);
    expect(loaded).toEqual(['@aws-sdk/client-organizations']);
    // One limit per member and region, each the one createRateLimit made.
    const members = created.get('members') ?? [];
    expect(members).toHaveLength(4);
    const targets = [...set];
    expect(targets.map((ra) => ra.ratelimit).every((limit) => members.includes(limit))).toBe(true);
    const report = await set.map(
      async (ra) => (await ra.callClient<{ Account: string }>('sts', 'GetCallerIdentity')).Account,
    );
    expect(report.summary).toMatchObject({ succeeded: 4, failed: 0, skipped: 2 });
    expect(loaded).toEqual(['@aws-sdk/client-organizations', '@aws-sdk/client-sts']);
  });

  it('keeps the specs-only call: a store then fails without createRateLimit, and {} last is empty options', async () => {
    const spec = {
      RegionalAccounts: {
        Organization: { Account: mgmtAccount(), include: ['prod'], RateLimit: FAST },
        Filter: include('eu-west-2'),
        RateLimit: withStore({ max_count: 3, interval: 1 }, 'unused'),
      },
    };
    const error = await regionalAccountSetFromOrganization(spec).catch((e: unknown) => e);
    expect(isRateLimitConfigError(error), String(error)).toBe(true);
    expect(String(error)).toContain('createRateLimit');
    const empty = await regionalAccountSetFromOrganization(
      { RegionalAccounts: { ...spec.RegionalAccounts, RateLimit: { max_count: 3, interval: 1 } } },
      {},
    );
    expect([...empty].map((ra) => [ra.region(), ra.ratelimit.maxCount])).toEqual([
      ['eu-west-2', 3],
    ]);
  });

  it('takes a last argument with a spec key for a spec, as before, not for options', async () => {
    const set = await regionalAccountSetFromOrganization(
      {
        RegionalAccounts: {
          Organization: { Account: mgmtAccount(), include: ['prod'], RateLimit: FAST },
          Filter: include('us-west-1'),
        },
      },
      // Untyped: a bare container spec without Organization.
      { Account: mgmtAccount(), Filter: include('us-west-2') } as never,
    );
    expect([...set].map((ra) => ra.region()).sort()).toEqual(['us-west-1', 'us-west-2']);
  });
});

describe('fan-out over an organisation against aws-local', () => {
  it('reports the suspended account skipped, the untrusted one failed, and all others succeeded', async () => {
    const set = await regionalAccountSetFromOrganization({
      RegionalAccounts: {
        Organization: { Account: mgmtAccount(), RateLimit: FAST },
        Filter: include('us-east-1', 'eu-west-1'),
      },
    });
    expect(set).toBeInstanceOf(RegionalAccountSet);
    const report = await set.map(
      async (ra, signal) => {
        const out = await ra.callClient<{ Account: string }>(
          'sts',
          'GetCallerIdentity',
          {},
          undefined,
          { signal },
        );
        return out.Account;
      },
      { concurrency: 4 },
    );
    const byAccount = Object.fromEntries(
      [...report.byAccount()].map(([id, counts]) => [id, counts]),
    );
    expect(byAccount).toEqual({
      [MGMT]: { succeeded: 2, failed: 0, skipped: 0 },
      '222222222222': { succeeded: 2, failed: 0, skipped: 0 },
      '333333333333': { succeeded: 0, failed: 0, skipped: 2 },
      '444444444444': { succeeded: 0, failed: 2, skipped: 0 },
      '555555555555': { succeeded: 2, failed: 0, skipped: 0 },
      // partner's role is PartnerRole: OrganizationAccountAccessRole does not exist there
      '666666666666': { succeeded: 0, failed: 2, skipped: 0 },
    });
    for (const r of report.results) {
      if (r.ok) expect(r.value).toBe(r.accountId);
    }
    const suspended = report.skipped();
    expect(
      suspended.every(
        (r) => r.errorClass === 'account-not-active' && isAccountNotActiveError(r.error),
      ),
    ).toBe(true);
    expect(suspended.map((r) => r.alias)).toEqual(['old', 'old']);
    expect(report.failures().every((r) => r.errorClass === 'access-denied')).toBe(true);
    expect(report.summary).toMatchObject({ total: 12, succeeded: 6, failed: 4, skipped: 2 });
    expect(report.byRegion().get('eu-west-1')).toEqual({ succeeded: 3, failed: 2, skipped: 1 });
  });
});

describe('a fan-out over real calls', () => {
  it('keeps at most `concurrency` requests in flight at the server', async () => {
    const set = new RegionalAccountSet(
      new RegionalAccounts({
        Account: mgmtAccount(),
        Filter: { Partitions: { aws: { Regions: { include: ['us-*', 'eu-west-*'] } } } },
      }),
    );
    const remove = aws.inject.latency({ ms: 30, service: 'sts' });
    let inFlight = 0;
    let peak = 0;
    try {
      const report = await set.map(
        async (ra) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          try {
            return await ra.send(STSClient, new GetCallerIdentityCommand({}));
          } finally {
            inFlight -= 1;
          }
        },
        { concurrency: 3 },
      );
      expect(report.summary.succeeded).toBe(report.summary.total);
      expect(report.summary.total).toBeGreaterThan(6);
    } finally {
      remove();
    }
    expect(peak).toBe(3);
  });

  it('classes a call in a region the account has not enabled, and ignores it on request', async () => {
    const container = await RegionalAccounts.create({
      Account: mgmtAccount(),
      Filter: { Partitions: { aws: { Regions: { include: ['us-east-1', 'ap-east-1'] } } } },
    });
    // Not in discovery mode: ap-east-1 is in the set, but the account has not enabled it.
    await container.discover();
    const set = new RegionalAccountSet(container);
    const call = (ra: RegionalAccount) => ra.send(STSClient, new GetCallerIdentityCommand({}));
    const report = await set.map(call);
    expect(report.failures().map((f) => [f.region, f.errorClass])).toEqual([
      ['ap-east-1', 'region-not-enabled'],
    ]);
    const ignored = await set.map(call, { ignore: ['region-not-enabled'] });
    expect(ignored.summary).toMatchObject({ succeeded: 1, failed: 0, skipped: 1 });
  });

  it('discovers by itself, and reports a container whose discovery fails as one failed result', async () => {
    const broken = {
      SessionParameters: {
        aws_access_key_id: 'AKIAFIXTUREUNKNOWN01',
        aws_secret_access_key: 'SECRETFIXTURE-unknown',
        region_name: 'us-east-1',
        EndpointUrl: aws.url,
      },
    };
    const set = new RegionalAccountSet(
      new RegionalAccounts({
        Account: mgmtAccount(),
        Filter: {
          Discover: true,
          Partitions: { aws: { Regions: { include: ['af-*', 'ap-east-1'] } } },
        },
      }),
      new RegionalAccounts({ Account: broken, Filter: { Discover: true } }),
    );
    const report = await set.map((ra) => ra.region());
    expect(report.values()).toEqual(['af-south-1']);
    expect(report.results.find((r) => r.ok)?.target?.region()).toBe('af-south-1');
    expect(report.failures()).toEqual([
      expect.objectContaining({
        region: undefined,
        status: 'failed',
        errorClass: 'invalid-credentials',
        errorCode: 'AuthFailure',
      }),
    ]);
    expect(report.summary).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
  });

  it('stops at the first failure with failFast, and past a tolerance, reporting progress', async () => {
    const set = new RegionalAccountSet(
      new RegionalAccounts({
        Account: mgmtAccount(),
        Filter: include(
          'us-east-1',
          'us-east-2',
          'us-west-1',
          'us-west-2',
          'eu-west-1',
          'eu-west-2',
        ),
      }),
    );
    const failIn = new Set(['us-east-2', 'us-west-2', 'eu-west-2']);
    const fn = async (ra: RegionalAccount) => {
      if (failIn.has(ra.region())) {
        return ra.callClient('sts', 'AssumeRole', {
          RoleArn: `arn:aws:iam::${MGMT}:role/Missing`,
          RoleSessionName: 'fan-out',
        });
      }
      return ra.callClient('sts', 'GetCallerIdentity');
    };
    const fast = await set.map(fn, { concurrency: 1, failFast: true });
    expect(fast.summary).toMatchObject({
      total: 6,
      succeeded: 1,
      failed: 1,
      skipped: 4,
      stopped: 'fail-fast',
    });
    // Regions run in name order: eu-west-1 succeeds, eu-west-2 fails.
    expect(fast.failures()[0]).toMatchObject({
      region: 'eu-west-2',
      errorClass: 'access-denied',
      accountId: MGMT,
    });
    const progress: number[] = [];
    const tolerant = await set.map(fn, {
      concurrency: 1,
      tolerance: 1,
      onProgress: (p) => progress.push(p.completed),
    });
    expect(tolerant.summary).toMatchObject({
      succeeded: 2,
      failed: 2,
      skipped: 2,
      stopped: 'tolerance',
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    const all = await set.map(fn, { concurrency: 2, tolerance: 0.5 });
    expect(all.summary).toMatchObject({ succeeded: 3, failed: 3, skipped: 0, stopped: undefined });
  });

  it('stops on abort and reports the rest skipped', async () => {
    const set = new RegionalAccountSet(
      new RegionalAccounts({
        Account: mgmtAccount(),
        Filter: { Partitions: { aws: { Regions: { include: ['us-*', 'eu-west-*'] } } } },
      }),
    );
    const controller = new AbortController();
    const report = await set.map(
      async (ra, signal) => {
        controller.abort(new Error('enough'));
        return ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal });
      },
      { concurrency: 2, signal: controller.signal },
    );
    expect(report.summary.stopped).toBe('aborted');
    expect(report.summary.succeeded).toBe(0);
    expect(report.summary.skipped).toBe(report.summary.total);
  });

  it('streams results as they complete', async () => {
    const set = new RegionalAccountSet(
      new RegionalAccounts({
        Account: mgmtAccount(),
        Filter: include('us-east-1', 'us-east-2', 'us-west-2'),
      }),
    );
    const remove = aws.inject.latency({ ms: 80, region: 'us-east-1' });
    try {
      const stream = set.stream((ra) => ra.send(STSClient, new GetCallerIdentityCommand({})), {
        concurrency: 3,
      });
      const order: string[] = [];
      for await (const r of stream) order.push(r.region!);
      expect(order.at(-1)).toBe('us-east-1');
      expect(stream.summary).toMatchObject({ total: 3, succeeded: 3 });
    } finally {
      remove();
    }
  });
});

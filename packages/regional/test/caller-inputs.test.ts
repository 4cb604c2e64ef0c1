// SPEC 10: the library never changes what a caller gave it, so one input can serve every target;
// and a pagination always ends. Against @cs/aws-local (whose EC2 page tokens are bound to the
// account and region that issued them, as AWS's are) and a fake handler for servers that repeat.
import type { Account } from '@cs/account';
import { accountFactory } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { RateLimitProperties } from '@cs/ratelimit';
import { Session, sessionFactory } from '@cs/session';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  RegionalAccount,
  RegionalAccountSet,
  RegionalAccounts,
  regionalAccountFactory,
  regionalAccountSetFactory,
} from '../src/index';
import type { FanOutOptions } from '../src/index';
import { FakeHandler, fakeAccount, iamLoaderTalkingTo, listRolesPage } from './helpers';

/** Freezes `value` and everything it holds; returns it. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value))
      deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
};

const ACCOUNTS = [
  {
    id: '111111111111',
    key: { accessKeyId: 'AKIAFIXTUREINPUTS001', secretAccessKey: 'SECRETFIXTURE-inputs-1' },
    instances: { 'eu-west-1': 12, 'us-east-1': 7, 'us-west-2': 16 },
  },
  {
    id: '222222222222',
    key: { accessKeyId: 'AKIAFIXTUREINPUTS002', secretAccessKey: 'SECRETFIXTURE-inputs-2' },
    instances: { 'eu-west-1': 9, 'us-east-1': 17, 'us-west-2': 6 },
  },
];
const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({
    accounts: ACCOUNTS.map((a) => ({
      id: a.id,
      users: [{ name: 'ci', accessKeys: [a.key] }],
      regions: REGIONS,
      instances: a.instances,
    })),
  });
});
afterAll(async () => {
  await aws.close();
});
beforeEach(() => {
  aws.inject.clear();
  aws.resetStats();
});

const sessionOf = (key: { accessKeyId: string; secretAccessKey: string }): Session =>
  new Session({ ...key, region: 'eu-west-1', EndpointUrl: aws.url });

const accountOn = (index: number): Account => {
  const session = sessionOf(ACCOUNTS[index]!.key);
  const id = ACCOUNTS[index]!.id;
  return {
    session: () => session,
    accountId: async () => id,
    alias: async () => id,
    aliases: async () => [],
  } as unknown as Account;
};

type Instances = { Reservations?: { Instances?: { InstanceId?: string }[] }[] };
const idsOf = (page: Instances): string[] =>
  (page.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId ?? '?'));

/** One container per account over REGIONS: 6 targets. */
const containerSpec = (index: number) => ({
  Account: {
    SessionParameters: {
      aws_access_key_id: ACCOUNTS[index]!.key.accessKeyId,
      aws_secret_access_key: ACCOUNTS[index]!.key.secretAccessKey,
      region_name: 'eu-west-1',
      EndpointUrl: aws.url,
    },
  },
  Filter: { Partitions: { aws: { Regions: { include: [...REGIONS] } } } },
});

/** What each target holds, read without pagination: `account/region` → sorted instance ids. */
const expectedIds = async (): Promise<Map<string, string[]>> => {
  const out = new Map<string, string[]>();
  for (const [index, account] of ACCOUNTS.entries()) {
    for (const region of REGIONS) {
      const ra = new RegionalAccount(new RateLimitProperties(), accountOn(index), region);
      out.set(
        `${account.id}/${region}`,
        idsOf(await ra.callClient('ec2', 'DescribeInstances')).sort(),
      );
      ra.destroy();
    }
  }
  return out;
};

describe('one input serves every target', () => {
  it.each([
    ['a plain input, compared with a copy afterwards', () => ({ MaxResults: 5, Filters: [] })],
    ['a deep-frozen input', () => deepFreeze({ MaxResults: 5, Filters: [] })],
  ])(
    'paginated fan-out over 6 targets and 17 pages with %s: every target gets exactly its own instances, in as many requests as pages',
    async (_, makeInput) => {
      const expected = await expectedIds();
      // 5 a page: 3+2+4 and 2+4+2 pages, 17 in all, more than the 6 targets; 4 run at once, and
      // every target's first page starts before any target ends, so any token written into the
      // shared input reaches another target's next request.
      const pages = [...expected.values()].reduce((n, ids) => n + Math.ceil(ids.length / 5), 0);
      expect(pages).toBe(17);
      aws.resetStats();
      const input = makeInput();
      const before = structuredClone(input);
      const set = new RegionalAccountSet(
        ...ACCOUNTS.map((_a, index) => new RegionalAccounts(containerSpec(index))),
      );
      const report = await set.map(
        async (ra, signal) => {
          const ids: string[] = [];
          for await (const page of ra.paginate<Instances>('ec2', 'DescribeInstances', input, {
            signal,
          })) {
            ids.push(...idsOf(page));
            // A target holds at most 17 instances: fail, rather than page for ever.
            if (ids.length > 20) throw new Error(`more pages than ${ra.region()} holds`);
          }
          return ids.sort();
        },
        { concurrency: 4 },
      );
      expect(report.failures().map((f) => String(f.error))).toEqual([]);
      const got = new Map(
        report.results.map((r) => [`${r.accountId}/${r.region}`, r.ok ? r.value : []]),
      );
      expect(got).toEqual(expected);
      expect(aws.stats.byOperation['ec2:DescribeInstances']).toBe(pages);
      expect(input).toEqual(before);
      expect(Object.keys(input).sort()).toEqual(['Filters', 'MaxResults']);
      for (const ra of set) ra.destroy();
    },
  );

  it('callClient leaves a deep-frozen input and client configuration as they were, and works', async () => {
    const ra = new RegionalAccount(new RateLimitProperties(), accountOn(0), 'us-east-1');
    const input = deepFreeze({
      MaxResults: 5,
      Filters: [{ Name: 'instance-state-name', Values: ['running'] }],
    });
    const config = deepFreeze({ maxAttempts: 2 });
    const before = structuredClone({ input, config });
    const out = await ra.callClient<Instances>('ec2', 'DescribeInstances', input, config);
    expect(idsOf(out).length).toBeGreaterThan(0);
    expect({ input, config }).toEqual(before);
    ra.destroy();
  });
});

describe('a pagination always ends', () => {
  it('a frozen input with pageSize 2 over 7 instances gives the 7 instances in 2 pages of 5 and 2, then ends', async () => {
    const ra = new RegionalAccount(new RateLimitProperties(), accountOn(0), 'us-east-1');
    const input = Object.freeze({ MaxResults: 5 });
    const ids: string[] = [];
    let pages = 0;
    for await (const page of ra.paginate<Instances>('ec2', 'DescribeInstances', input, {
      pageSize: 2,
    })) {
      ids.push(...idsOf(page));
      // Before the fix this asked for the first page again and again: fail, rather than hang.
      if (++pages > 10) break;
    }
    expect(pages).toBe(2);
    expect(new Set(ids).size).toBe(7);
    expect(aws.stats.byOperation['ec2:DescribeInstances']).toBe(2);
    ra.destroy();
  });
});

describe('a token that repeats ends the pagination', () => {
  /** A server whose ListRoles pages carry the markers `markers`, in order, then none. */
  const serverOf = (markers: string[]) => {
    let page = 0;
    return new FakeHandler(() => {
      const marker = markers[page];
      page += 1;
      return listRolesPage(`role-${page}`, marker);
    });
  };
  const rolesOf = async (
    handler: FakeHandler,
    config: { stopOnSameToken?: boolean } = {},
  ): Promise<string[]> => {
    const ra = new RegionalAccount(new RateLimitProperties(), fakeAccount(), 'us-east-1', {
      loadServiceModule: await iamLoaderTalkingTo(handler),
    });
    const roles: string[] = [];
    for await (const page of ra.paginate<{ Roles: { RoleName: string }[] }>(
      'iam',
      'ListRoles',
      {},
      config,
    )) {
      roles.push(...page.Roles.map((r) => r.RoleName));
      // Without the stop, this server would be asked for ever: fail rather than hang.
      if (roles.length > 20) break;
    }
    ra.destroy();
    return roles;
  };
  const markersSent = (handler: FakeHandler): (string | null)[] =>
    handler.seen.map((r) => new URLSearchParams(r.body).get('Marker'));

  it.each([
    ['the same token twice in a row', ['a', 'b', 'b', 'b', 'b'], ['role-1', 'role-2', 'role-3']],
    ['a loop of tokens', ['a', 'b', 'c', 'a', 'b', 'c'], ['role-1', 'role-2', 'role-3', 'role-4']],
    ['a loop, with stopOnSameToken: false', ['a', 'b', 'a', 'b'], ['role-1', 'role-2', 'role-3']],
  ])('%s: every page once, no token sent twice', async (what, markers, roles) => {
    const handler = serverOf(markers);
    const config = what.includes('false') ? { stopOnSameToken: false } : {};
    expect(await rolesOf(handler, config)).toEqual(roles);
    const sent = markersSent(handler);
    expect(sent).toHaveLength(roles.length);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('a server that ends normally is read to its end', async () => {
    const handler = serverOf(['a', 'b']);
    expect(await rolesOf(handler)).toEqual(['role-1', 'role-2', 'role-3']);
    expect(markersSent(handler)).toEqual([null, 'a', 'b']);
  });
});

describe('fan-out options and containers are not changed by a run', () => {
  it('a deep-frozen FanOutOptions and container spec serve two runs', async () => {
    const options: FanOutOptions<unknown, RegionalAccount> = deepFreeze({
      concurrency: 2,
      ignore: ['region-not-enabled', { code: 'Nothing' }],
      timeout: 30_000,
    });
    const spec = deepFreeze(containerSpec(1));
    const before = structuredClone({ options, spec });
    const set = new RegionalAccountSet(new RegionalAccounts(spec));
    for (let run = 0; run < 2; run++) {
      const report = await set.map(
        (ra, signal) => ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
        options,
      );
      expect(report.summary.succeeded).toBe(3);
    }
    expect({ options, spec }).toEqual(before);
    for (const ra of set) ra.destroy();
  });
});

describe('configuration objects given to builders and factories are not changed', () => {
  it('Session, sessionFactory, accountFactory, the RegionalAccount factories and options: deep-frozen, used, equal afterwards', async () => {
    const key = ACCOUNTS[0]!.key;
    const parameters = deepFreeze({
      aws_access_key_id: key.accessKeyId,
      aws_secret_access_key: key.secretAccessKey,
      region_name: 'eu-west-1',
      EndpointUrl: aws.url,
    });
    const sessionOptions = deepFreeze({ refresh: { marginMs: 60_000 } });
    const accountSpec = deepFreeze({ SessionParameters: parameters });
    const regionalSpec = deepFreeze({
      Account: accountSpec,
      region_name: 'us-east-1',
      RateLimit: { max_count: 50, interval: 1, block: true },
      RateLimitOperationSpec: {
        'ec2:DescribeInstances': { max_count: 20, interval: '1s', block: true },
      },
      MaxAttempts: 3,
    });
    const setSpec = deepFreeze({
      RegionalAccounts: {
        Account: accountSpec,
        RateLimitRegionSpec: { 'eu-west-1': { max_count: 10, interval: 1, block: true } },
        Filter: {
          Partitions: {
            aws: {
              Regions: { include: ['eu-west-1', 'us-*'], exclude: ['us-east-2', 'us-west-1'] },
            },
          },
        },
      },
    });
    const raOptions = deepFreeze({
      maxAttempts: 2,
      adaptive: { minCount: 1, decrease: 0.5 },
      operationLimits: { 'ec2:DescribeInstances': { max_count: 5, interval: 1, block: true } },
    });
    const before = structuredClone({
      parameters,
      sessionOptions,
      regionalSpec,
      setSpec,
      raOptions,
    });

    const session = new Session(parameters, sessionOptions);
    expect(await session.accountId()).toBe(ACCOUNTS[0]!.id);
    const fromFactory = sessionFactory(accountSpec);
    expect(await fromFactory.accountId()).toBe(ACCOUNTS[0]!.id);
    const account = accountFactory(accountSpec);
    const ra = regionalAccountFactory(regionalSpec);
    await ra.callClient('ec2', 'DescribeInstances', { MaxResults: 5 });
    const own = new RegionalAccount(new RateLimitProperties(), account, 'us-west-2', raOptions);
    await own.callClient('ec2', 'DescribeInstances');
    const set = regionalAccountSetFactory(setSpec);
    const report = await set.map((target, signal) =>
      target.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
    );
    expect(report.summary.succeeded).toBe(3);

    expect({ parameters, sessionOptions, regionalSpec, setSpec, raOptions }).toEqual(before);
    for (const target of set) target.destroy();
    own.destroy();
    ra.destroy();
    session.destroy();
  });
});

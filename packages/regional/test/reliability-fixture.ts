/**
 * Shared fixture and checks of the reliability suites (issue 9): 20 member accounts on aws-local,
 * one container per account, and the check that every target of a fan-out ends exactly once.
 */
import { startLocalAws } from '@cs/aws-local';
import type { Fixture, LocalAws } from '@cs/aws-local';
import { expect } from 'vitest';
import { regionalAccountsFactory, RegionalAccountSet } from '../src/index';
import type {
  FanOutReport,
  FanOutResult,
  RegionalAccount,
  RegionalAccounts,
  RegionalAccountsSpec,
} from '../src/index';

export const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
];
export const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(100000000001 + i));
export const MANAGEMENT = '999999999999';
export const keyOf = (i: number) => ({
  accessKeyId: `AKIAFIXTURERELIAB${String(i).padStart(3, '0')}`,
  secretAccessKey: `SECRETFIXTURE-reliability-${i}`,
});
export const MANAGEMENT_KEY = keyOf(999);

/** 20 member accounts with one user each and a role `Audit` that the management account may assume. */
export const fixture = (sessionLifetimeSeconds?: number): Fixture => ({
  ...(sessionLifetimeSeconds === undefined ? {} : { sessionLifetimeSeconds }),
  accounts: [
    {
      id: MANAGEMENT,
      users: [{ name: 'ops', accessKeys: [MANAGEMENT_KEY] }],
    },
    ...ACCOUNTS.map((id, i) => ({
      id,
      aliases: [`acme-${i}`],
      users: [{ name: 'ci', accessKeys: [keyOf(i)] }],
      roles: [{ name: 'Audit', trust: [MANAGEMENT] }],
      instances: { 'eu-west-1': 3 },
    })),
  ],
});

/** A deterministic PRNG (mulberry32), so that fault injection is reproducible. */
export const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const servers: LocalAws[] = [];
export const start = async (sessionLifetimeSeconds?: number): Promise<LocalAws> => {
  const aws = await startLocalAws(fixture(sessionLifetimeSeconds), { random: seeded(9) });
  servers.push(aws);
  return aws;
};
export const containers: RegionalAccounts[] = [];
/** Each test's clients and server are closed after it, so the next starts with nothing open. */
export const closeAll = async () => {
  for (const c of containers.splice(0)) for (const ra of c.values()) ra.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
};

/** A set of one container per account, each over `regions`, every session pointed at `aws`. */
export const buildSet = (
  aws: LocalAws,
  extra: Partial<RegionalAccountsSpec> & { viaRole?: boolean; accounts?: string[] } = {},
  regions: string[] = REGIONS,
): RegionalAccountSet => {
  const { viaRole, accounts = ACCOUNTS, ...rest } = extra;
  const set = new RegionalAccountSet();
  accounts.forEach((id) => {
    const i = ACCOUNTS.indexOf(id);
    const key = viaRole ? MANAGEMENT_KEY : keyOf(i);
    const container = regionalAccountsFactory({
      Account: {
        SessionParameters: {
          aws_access_key_id: key.accessKeyId,
          aws_secret_access_key: key.secretAccessKey,
          region_name: 'eu-west-1',
          EndpointUrl: aws.url,
        },
        ...(viaRole
          ? { AssumeRole: { RoleArn: `arn:aws:iam::${id}:role/Audit`, RoleSessionName: 'rel' } }
          : {}),
      },
      Filter: { Partitions: { aws: { Regions: { include: regions } } } },
      ...rest,
    });
    containers.push(container);
    set.add(container);
  });
  return set;
};

export const describeInstances = (ra: RegionalAccount, signal: AbortSignal) =>
  ra.callClient('ec2', 'DescribeInstances', {}, undefined, { signal });

/**
 * Every target exactly once (by its RegionalAccount: a target skipped before its account was
 * reached has no account id yet), each result either succeeded or failed with its error.
 */
export const expectEveryTargetOnce = <R>(
  report: FanOutReport<R, RegionalAccount>,
  set: RegionalAccountSet,
  accounts: string[],
  regions: string[],
) => {
  const expected = new Set(set);
  expect(expected.size).toBe(accounts.length * regions.length);
  expect(report.results).toHaveLength(expected.size);
  expect(new Set(report.results.map((r) => r.target))).toEqual(expected);
  for (const r of report.results) {
    expect(regions).toContain(r.region);
    if (r.accountId !== undefined) expect(accounts).toContain(r.accountId);
    if (r.ok) expect(r.status).toBe('succeeded');
    else {
      expect(r.error).toBeInstanceOf(Error);
      expect((r.error as Error).message.length).toBeGreaterThan(10);
      expect(r.errorClass).toBeDefined();
    }
  }
  const { summary } = report;
  expect(summary.total).toBe(expected.size);
  expect(summary.succeeded + summary.failed + summary.skipped).toBe(expected.size);
  expect(summary.succeeded).toBe(report.results.filter((r) => r.ok).length);
};

/** The most of `times` (sorted) in any half-open window of `windowMs`. */
export const maxInWindow = (times: number[], windowMs: number): number => {
  let best = 0;
  for (let end = 0, start = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
};

export const count = <R>(
  results: readonly FanOutResult<R, RegionalAccount>[],
  p: (r: FanOutResult<R, RegionalAccount>) => boolean,
) => results.filter(p).length;

/** Figures each scenario prints for docs/reliability.md (vitest shows console output). */
export const figures = (scenario: string, data: Record<string, unknown>) => {
  console.log(`[reliability] ${scenario} ${JSON.stringify(data)}`);
};

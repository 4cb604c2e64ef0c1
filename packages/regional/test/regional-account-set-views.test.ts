import { describe, expect, it } from 'vitest';
import { AccountNotActiveError } from '../src/organization/errors';
import { isRegionFilterError } from '../src/regions/errors';
import { RegionalAccounts } from '../src/regions/RegionalAccounts';
import { RegionalAccountSet } from '../src/fanout/RegionalAccountSet';
import type { TargetIdentity } from '../src/fanout/RegionalAccountSet';

const accountSpec = (n: number) => ({
  SessionParameters: {
    aws_access_key_id: `AKIAFIXTUREVIEWACCT${n}`,
    aws_secret_access_key: `SECRETFIXTURE-view-${n}`,
    region_name: 'us-east-1',
    // Nothing listens here: these tests make no call.
    EndpointUrl: 'http://127.0.0.1:9',
  },
});
const include = (...regions: string[]) => ({
  Partitions: { aws: { Regions: { include: regions } } },
});
const names = (set: RegionalAccountSet) => [...set].map((ra) => ra.region());

describe('a narrowed set', () => {
  it('keeps the targets the predicate accepts and leaves the original set as it was', () => {
    const a = new RegionalAccounts({
      Account: accountSpec(1),
      Filter: include('us-east-1', 'eu-west-1', 'eu-central-1'),
    });
    const set = new RegionalAccountSet(a);
    const eu = set.narrow((t) => t.region?.startsWith('eu-') === true);
    expect(names(eu).sort()).toEqual(['eu-central-1', 'eu-west-1']);
    expect(names(set).sort()).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
    expect(names(eu.narrow((t) => t.region !== 'eu-west-1'))).toEqual(['eu-central-1']);
  });

  it('narrows skipped accounts region by region, and drops those left with none', async () => {
    const set = new RegionalAccountSet()
      .addSkippedAccount({
        accountId: '333333333333',
        alias: 'old',
        regions: ['us-east-1', 'eu-west-1'],
        error: new AccountNotActiveError('333333333333', 'old', 'SUSPENDED'),
        errorClass: 'account-not-active',
      })
      .addSkippedAccount({
        accountId: '444444444444',
        alias: 'gone',
        regions: ['us-east-1'],
        error: new AccountNotActiveError('444444444444', 'gone', 'SUSPENDED'),
        errorClass: 'account-not-active',
      });
    const seen: TargetIdentity[] = [];
    const narrowed = set.narrow((t) => {
      seen.push(t);
      return t.region === 'eu-west-1';
    });
    const report = await narrowed.map(() => 'never');
    expect(report.results.map((r) => `${r.accountId}/${r.region}/${r.status}`)).toEqual([
      '333333333333/eu-west-1/skipped',
    ]);
    expect(seen).toContainEqual({ accountId: '333333333333', alias: 'old', region: 'us-east-1' });
    expect(set.skippedAccounts()).toHaveLength(2);
  });

  it('gives the predicate no identity it does not know without a call', () => {
    const set = new RegionalAccountSet(
      new RegionalAccounts({ Account: accountSpec(2), Filter: include('us-east-1') }),
    );
    const seen: TargetIdentity[] = [];
    expect(
      names(
        set.narrow((t) => {
          seen.push(t);
          return true;
        }),
      ),
    ).toEqual(['us-east-1']);
    expect(seen).toEqual([{ accountId: undefined, alias: undefined, region: 'us-east-1' }]);
  });
});

describe('the global targets of a set', () => {
  it('has one target per account and partition, at the partition’s global region', () => {
    const a = new RegionalAccounts({
      Account: accountSpec(3),
      Filter: include('eu-west-1', 'ap-southeast-2'),
    });
    const b = new RegionalAccounts({ Account: accountSpec(4), Filter: include('eu-west-1') });
    const global = new RegionalAccountSet(a, b).globalTargets();
    const targets = [...global];
    expect(targets.map((ra) => ra.region())).toEqual(['us-east-1', 'us-east-1']);
    expect(targets[0]).toBe(a.regionalAccountIn('us-east-1'));
    expect(targets[0]!.account()).toBe(a.account());
    expect(targets[1]!.account()).toBe(b.account());
  });

  it('reports a skipped account once, at the global region', async () => {
    const set = new RegionalAccountSet().addSkippedAccount({
      accountId: '333333333333',
      regions: ['us-east-1', 'eu-west-1'],
      error: new AccountNotActiveError('333333333333', undefined, 'SUSPENDED'),
      errorClass: 'account-not-active',
    });
    const report = await set.globalTargets().map(() => 'never');
    expect(report.results.map((r) => `${r.accountId}/${r.region}`)).toEqual([
      '333333333333/us-east-1',
    ]);
  });

  it('refuses a region no partition knows in regionalAccountIn', () => {
    const a = new RegionalAccounts({ Account: accountSpec(5), Filter: include('us-east-1') });
    let caught: unknown;
    try {
      a.regionalAccountIn('mars-north-1');
    } catch (error) {
      caught = error;
    }
    expect(isRegionFilterError(caught)).toBe(true);
    expect(String((caught as Error).message)).toContain('mars-north-1');
  });
});

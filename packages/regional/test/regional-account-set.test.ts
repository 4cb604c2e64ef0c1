import { describe, expect, it } from 'vitest';
import { isNotRegionalAccountsError, NotRegionalAccountsError } from '../src/fanout/errors';
import { RegionalAccounts } from '../src/regions/RegionalAccounts';
import { RegionalAccountSet } from '../src/fanout/RegionalAccountSet';
import { regionalAccountSetFactory } from '../src/fanout/regionalAccountSetFactory';

const accountSpec = (n = 1) => ({
  SessionParameters: {
    aws_access_key_id: `AKIAFIXTURESETACCT0${n}`,
    aws_secret_access_key: `SECRETFIXTURE-set-${n}`,
    region_name: 'us-east-1',
    EndpointUrl: 'http://127.0.0.1:9',
  },
});
const include = (...regions: string[]) => ({
  Partitions: { aws: { Regions: { include: regions } } },
});

describe('RegionalAccountSet', () => {
  it('iterates each RegionalAccount once over overlapping containers', () => {
    const a = new RegionalAccounts({
      Account: accountSpec(),
      Filter: include('us-east-1', 'us-east-2'),
    });
    const b = new RegionalAccounts({
      Account: accountSpec(),
      Filter: include('us-east-2', 'eu-west-1'),
    });
    const c = new RegionalAccounts({ Account: accountSpec(2), Filter: include('us-east-2') });
    const set = new RegionalAccountSet(a, b, c);
    const targets = [...set];
    expect(targets).toHaveLength(4);
    expect(new Set(targets).size).toBe(4);
    expect(targets.map((t) => t.region())).toEqual([
      'us-east-1',
      'us-east-2',
      'eu-west-1',
      'us-east-2',
    ]);
    expect(targets[1]).toBe(b.get('us-east-2'));
  });

  it('adds, discards (quietly when absent) and lists its containers', () => {
    const a = new RegionalAccounts({ Account: accountSpec(), Filter: include('us-east-1') });
    const b = new RegionalAccounts({ Account: accountSpec(2), Filter: include('us-east-1') });
    const set = new RegionalAccountSet(a);
    expect(set.add(b).add(b)).toBe(set);
    expect([...set.values()]).toEqual([a, b]);
    expect(set.size).toBe(2);
    expect(set.has(b)).toBe(true);
    expect(set.discard(a)).toBe(true);
    expect(set.discard(a)).toBe(false);
    expect([...set.values()]).toEqual([b]);
    expect([...set].map((t) => t.region())).toEqual(['us-east-1']);
  });

  it('refuses anything that is not a RegionalAccounts container', () => {
    const a = new RegionalAccounts({ Account: accountSpec(), Filter: include('us-east-1') });
    const regionalAccount = a.get('us-east-1')!;
    expect(() => new RegionalAccountSet(regionalAccount as never)).toThrow(
      NotRegionalAccountsError,
    );
    expect(() => new RegionalAccountSet(regionalAccount as never)).toThrow(
      /holds RegionalAccounts containers only, got a RegionalAccount: wrap/,
    );
    let caught: unknown;
    try {
      new RegionalAccountSet().add({ keys: () => [] } as never);
    } catch (e) {
      caught = e;
    }
    expect(isNotRegionalAccountsError(caught)).toBe(true);
    expect(() => new RegionalAccountSet().add(null as never)).toThrow(/got null/);
  });
});

describe('regionalAccountSetFactory', () => {
  it('builds a new set each call, from cached containers', () => {
    const spec = { RegionalAccounts: { Account: accountSpec(), Filter: include('eu-west-1') } };
    const one = regionalAccountSetFactory(spec, {
      RegionalAccounts: { Account: accountSpec(2), Filter: include('eu-west-1') },
    });
    const two = regionalAccountSetFactory(spec);
    expect(one).not.toBe(two);
    expect([...two.values()][0]).toBe([...one.values()][0]);
    expect([...one]).toHaveLength(2);
  });
});

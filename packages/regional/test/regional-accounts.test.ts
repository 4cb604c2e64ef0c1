import { describe, expect, it } from 'vitest';
import {
  FilterNotReplaceableError,
  isRegionNotSelectedError,
  RegionDiscoveryRequiredError,
  RegionFilterError,
} from '../src/regions/errors';
import { RegionalAccount } from '../src/account/RegionalAccount';
import { isRegionalAccounts, RegionalAccounts } from '../src/regions/RegionalAccounts';
import type { RegionalAccountsFilter } from '../src/regions/RegionalAccountsFilter';
import {
  clearRegionalAccountsFactory,
  regionalAccountsFactory,
} from '../src/regions/regionalAccountsFactory';
import { sdkPartitions } from '../src/regions/partitions';

/** An account spec that never reaches the network in these tests (no call is made). */
const accountSpec = (n = 1) => ({
  SessionParameters: {
    aws_access_key_id: `AKIAFIXTURECONTAIN0${n}`,
    aws_secret_access_key: `SECRETFIXTURE-container-${n}`,
    region_name: 'us-east-1',
    EndpointUrl: 'http://127.0.0.1:9',
  },
});

const usEast = (): RegionalAccountsFilter => ({
  Partitions: { aws: { Regions: { include: ['us-east-*'] } } },
});

describe('RegionalAccounts', () => {
  it('is a read-only map from region to RegionalAccount', () => {
    const container = new RegionalAccounts({ Account: accountSpec(), Filter: usEast() });
    expect([...container.keys()]).toEqual(['us-east-1', 'us-east-2']);
    expect(container.size).toBe(2);
    expect(container.has('us-east-1')).toBe(true);
    expect(container.has('eu-west-1')).toBe(false);
    const ra = container.get('us-east-1');
    expect(ra).toBeInstanceOf(RegionalAccount);
    expect(ra?.region()).toBe('us-east-1');
    expect(container.get('eu-west-1')).toBeUndefined();
    expect([...container.values()].map((v) => v.region())).toEqual(['us-east-1', 'us-east-2']);
    expect([...container.entries()].map(([k, v]) => [k, v.region()])).toEqual([
      ['us-east-1', 'us-east-1'],
      ['us-east-2', 'us-east-2'],
    ]);
    expect([...container].map(([k]) => k)).toEqual(['us-east-1', 'us-east-2']);
    const seen: string[] = [];
    container.forEach(
      function (this: { tag: string }, value, key, map) {
        expect(map).toBe(container);
        seen.push(`${this.tag}:${key}:${value.region()}`);
      },
      { tag: 't' },
    );
    expect(seen).toEqual(['t:us-east-1:us-east-1', 't:us-east-2:us-east-2']);
    expect(String(container)).toBe('RegionalAccounts(us-east-1, us-east-2)');
    expect(isRegionalAccounts(container)).toBe(true);
    expect(isRegionalAccounts({})).toBe(false);
  });

  it('throws a clear error from the strict accessor for a region outside the filter', () => {
    const container = new RegionalAccounts({ Account: accountSpec(), Filter: usEast() });
    expect(container.getOrThrow('us-east-2').region()).toBe('us-east-2');
    let caught: unknown;
    try {
      container.getOrThrow('eu-west-1');
    } catch (e) {
      caught = e;
    }
    expect(isRegionNotSelectedError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(
      /region eu-west-1 is not selected .* \(it selects us-east-1, us-east-2\): add it to Filter/,
    );
  });

  it('covers every region of aws when there is no filter', () => {
    const container = new RegionalAccounts({ Account: accountSpec() });
    expect([...container.keys()]).toEqual(sdkPartitions().get('aws')!.regions);
  });

  it('shares the RegionalAccount of a region between two containers of one account', () => {
    const a = new RegionalAccounts({ Account: accountSpec(), Filter: usEast() });
    const b = new RegionalAccounts({
      Account: accountSpec(),
      Filter: { Partitions: { aws: { Regions: { include: ['us-east-1', 'eu-west-1'] } } } },
    });
    expect(a.get('us-east-1')).toBe(b.get('us-east-1'));
    expect(a.get('us-east-1')!.ratelimit).toBe(b.get('us-east-1')!.ratelimit);
    expect(a.account()).toBe(b.account());
    const other = new RegionalAccounts({ Account: accountSpec(2), Filter: usEast() });
    expect(other.get('us-east-1')).not.toBe(a.get('us-east-1'));
  });

  it('gives regions of RateLimitRegionSpec their own limit instead of RateLimit', () => {
    const container = new RegionalAccounts({
      Account: accountSpec(),
      Filter: usEast(),
      RateLimit: { max_count: 10, interval: 1 },
      RateLimitRegionSpec: { 'us-east-2': { max_count: 3, interval: 2, block: true } },
    });
    expect(container.get('us-east-1')!.ratelimit).toMatchObject({ maxCount: 10, interval: 1000 });
    expect(container.get('us-east-2')!.ratelimit).toMatchObject({
      maxCount: 3,
      interval: 2000,
      block: true,
    });
  });

  it('refuses an unknown region name in RateLimitRegionSpec', () => {
    expect(
      () =>
        new RegionalAccounts({
          Account: accountSpec(),
          Filter: usEast(),
          RateLimitRegionSpec: { 'us-eats-1': { max_count: 1, interval: 1 } },
        }),
    ).toThrow(/RateLimitRegionSpec\.us-eats-1: unknown region "us-eats-1"/);
  });

  it('follows its filter when it is changed in place', () => {
    const Filter: RegionalAccountsFilter = usEast();
    const container = new RegionalAccounts({ Account: accountSpec(), Filter });
    expect(container.Filter).toBe(Filter);
    expect(container.size).toBe(2);
    (Filter.Partitions!.aws!.Regions!.include as string[]).push('eu-west-1');
    expect([...container.keys()]).toEqual(['eu-west-1', 'us-east-1', 'us-east-2']);
    Filter.Partitions!.aws!.Regions!.exclude = ['us-east-2'];
    expect([...container.keys()]).toEqual(['eu-west-1', 'us-east-1']);
    container.Filter.Partitions!.aws!.IncludeNonRegional = true;
    expect(container.has('aws-global')).toBe(true);
    expect(container.get('aws-global')?.region()).toBe('aws-global');
    Filter.Partitions = { 'aws-cn': {} };
    expect([...container.keys()]).toEqual(sdkPartitions().get('aws-cn')!.regions);
  });

  it('refuses to have its filter replaced', () => {
    const container = new RegionalAccounts({ Account: accountSpec(), Filter: usEast() });
    expect(() => {
      (container as { Filter: RegionalAccountsFilter }).Filter = {};
    }).toThrow(FilterNotReplaceableError);
    expect(() => {
      (container as { filter: RegionalAccountsFilter }).filter = {};
    }).toThrow(/cannot be replaced: change it in place/);
    expect(container.size).toBe(2);
  });

  it('refuses unknown partition or region names, at construction and after a change', () => {
    expect(
      () => new RegionalAccounts({ Account: accountSpec(), Filter: { Partitions: { aws2: {} } } }),
    ).toThrow(RegionFilterError);
    const Filter = usEast();
    const container = new RegionalAccounts({ Account: accountSpec(), Filter });
    Filter.Partitions!.aws!.Regions!.include = ['us-east-7'];
    expect(() => container.keys()).toThrow(/unknown region "us-east-7" in partition aws/);
  });

  it('must discover before it is read in discovery mode', () => {
    const container = new RegionalAccounts({ Account: accountSpec(3), Filter: { Discover: true } });
    expect(() => container.size).toThrow(RegionDiscoveryRequiredError);
    expect(container.discovered).toBe(false);
    expect(String(container)).toBe('RegionalAccounts(not discovered)');
  });

  it('keeps the service of the spec', () => {
    expect(
      new RegionalAccounts({ Account: accountSpec(), Filter: usEast(), service: 'ec2' }).service,
    ).toBe('ec2');
  });
});

describe('regionalAccountsFactory', () => {
  it('returns the same container for the same spec, whatever the key order', () => {
    const a = regionalAccountsFactory({
      Account: accountSpec(),
      Filter: usEast(),
      RateLimit: { max_count: 1, interval: 1 },
    });
    const b = regionalAccountsFactory({
      RateLimit: { interval: 1, max_count: 1 },
      Filter: usEast(),
      Account: accountSpec(),
    });
    expect(a).toBe(b);
    const c = regionalAccountsFactory({
      Account: accountSpec(),
      Filter: { Partitions: { aws: { Regions: { include: ['eu-*'] } } } },
    });
    expect(c).not.toBe(a);
    expect(c.get('eu-west-1')).toBeDefined();
  });

  it('builds new containers after it is cleared', () => {
    const spec = { Account: accountSpec(), Filter: usEast() };
    const before = regionalAccountsFactory(spec);
    clearRegionalAccountsFactory();
    const after = regionalAccountsFactory(spec);
    expect(after).not.toBe(before);
    expect(after.get('us-east-1')).toBe(before.get('us-east-1'));
  });
});

import { Account, clearAccountFactory } from '@cs/account';
import { RateLimitProperties } from '@cs/ratelimit';
import { RegionalAccount, RegionalAccounts, RegionalAccountSet } from '@cs/regional';
import { clearSessionFactory, Session } from '@cs/session';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildAccount,
  buildRegionalAccount,
  buildRegionalAccounts,
  buildRegionalAccountSet,
  buildRegionalAccountSetFromOrganization,
  buildSession,
  createObject,
  defaultRegistry,
  FactoryRegistry,
  getSection,
  isFactoryRegistryError,
  parseConfig,
  registerFactory,
} from '../src/index';
import { configErrorOf, rejectedConfigError } from './helpers';

const account = { SessionParameters: { region_name: 'eu-west-1', profile_name: 'cs-config-test' } };

afterEach(() => {
  clearAccountFactory();
  clearSessionFactory();
});

describe('builders', () => {
  it('build through the caching factories: the same section gives the same object', () => {
    expect(buildSession(account)).toBeInstanceOf(Session);
    expect(buildSession(account)).toBe(buildSession(structuredClone(account)));
    expect(buildAccount(account)).toBeInstanceOf(Account);
    expect(buildAccount(account)).toBe(buildAccount(structuredClone(account)));
    const ra = buildRegionalAccount({
      Account: account,
      region_name: 'eu-west-1',
      RateLimit: { max_count: 3, interval: 1 },
    });
    expect(ra).toBeInstanceOf(RegionalAccount);
    expect(ra.region()).toBe('eu-west-1');
    expect(ra.ratelimit.maxCount).toBe(3);
    expect(
      buildRegionalAccount({
        Account: structuredClone(account),
        region_name: 'eu-west-1',
        RateLimit: { interval: 1, max_count: 3 },
      }),
    ).toBe(ra);
    // Without a region, the session's region applies (another cache entry, not another account).
    expect(buildRegionalAccount({ Account: account }).region()).toBe('eu-west-1');
    const container = buildRegionalAccounts({
      Account: account,
      RateLimit: { max_count: 3, interval: 1 },
      Filter: { Partitions: { aws: { Regions: { include: ['eu-west-1', 'us-east-1'] } } } },
    });
    expect(container).toBeInstanceOf(RegionalAccounts);
    expect([...container.keys()].sort()).toEqual(['eu-west-1', 'us-east-1']);
    // The container shares the RegionalAccount of the same account, region and limit.
    expect(container.get('eu-west-1')).toBe(ra);
  });

  it('region is the camelCase spelling of region_name', () => {
    const ra = buildRegionalAccount({ Account: account, region: 'ap-south-1' });
    expect(ra.region()).toBe('ap-south-1');
    expect(buildRegionalAccount({ Account: account, region_name: 'ap-south-1' })).toBe(ra);
  });

  it('a set is new each time, of cached containers, each region of an account once', () => {
    const entry = {
      RegionalAccounts: {
        Account: account,
        Filter: { Partitions: { aws: { Regions: { include: ['us-east-1', 'us-west-2'] } } } },
      },
    };
    const overlapping = {
      RegionalAccounts: {
        Account: account,
        Filter: { Partitions: { aws: { Regions: { include: ['us-*'] } } } },
      },
    };
    const set = buildRegionalAccountSet([entry, overlapping]);
    expect(set).toBeInstanceOf(RegionalAccountSet);
    expect(buildRegionalAccountSet([entry, overlapping])).not.toBe(set);
    const regions = [...set].map((ra) => ra.region());
    expect(new Set(regions).size).toBe(regions.length);
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'us-east-2']));
  });

  it('a section from parseConfig is placed at its file and lines when building fails', () => {
    const config = parseConfig(
      [
        'YourApp:',
        '  RegionalAccountSet:',
        '    - RegionalAccounts:',
        '        Account: {}',
        '        Filter:',
        '          Partitions:',
        '            aws:',
        '              Regions:',
        '                include: [us-nowhere-1]',
        '    - RegionalAccounts:',
        '        Account: {}',
        '        RateLimitRegionSpec:',
        '          mars-north-1: { max_count: 1 }',
      ].join('\n'),
      { env: {}, source: 'app.yaml' },
    );
    const section = getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet');
    const error = configErrorOf(() =>
      buildRegionalAccountSet(section, { path: 'YourApp.RegionalAccountSet' }),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatchObject({
      file: 'app.yaml',
      path: expect.stringMatching(/^YourApp\.RegionalAccountSet\[0\]\.RegionalAccounts/) as string,
      message: expect.stringContaining('us-nowhere-1') as string,
    });
    expect(error.problems[1]).toMatchObject({
      file: 'app.yaml',
      path: 'YourApp.RegionalAccountSet[1].RegionalAccounts.RateLimitRegionSpec.mars-north-1',
      line: 13,
    });
  });

  it('an invalid section is refused before anything is built, with every problem', () => {
    const error = configErrorOf(() =>
      buildRegionalAccountSet([
        { RegionalAccounts: { Account: { AssumeRole: { RoleArn: 'x' } } } },
        { RegionalAccounts: { Account: {}, RateLimit: { max_count: -1 } } },
      ] as never),
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      'RegionalAccountSet[0].RegionalAccounts.Account.AssumeRole.RoleArn',
      'RegionalAccountSet[1].RegionalAccounts.RateLimit.max_count',
    ]);
  });

  it('an Organization needs the asynchronous builder', () => {
    const organization = configErrorOf(() =>
      buildRegionalAccountSet([{ RegionalAccounts: { Organization: { Account: {} } } }]),
    );
    expect(organization.problems[0]).toMatchObject({
      path: 'RegionalAccountSet[0].RegionalAccounts.Organization',
      message: expect.stringContaining('buildRegionalAccountSetFromOrganization') as string,
    });
  });

  it('the asynchronous builder refuses an invalid section with a ConfigError', async () => {
    const error = await rejectedConfigError(
      buildRegionalAccountSetFromOrganization([
        { RegionalAccounts: { Organization: { Account: {}, OUs: 'ou-1' } } },
      ] as never),
    );
    expect(error.problems[0]?.path).toBe('RegionalAccountSet[0].RegionalAccounts.Organization.OUs');
  });
});

describe('the registry of named factories', () => {
  it("has the original's names", () => {
    expect(defaultRegistry.names()).toEqual(
      expect.arrayContaining([
        'cs.aws_account.session',
        'cs.aws_account.cached_session',
        'cs.aws_account.account',
        'cs.aws_account.cached_account',
        'cs.aws_account.regional_account',
        'cs.aws_account.cached_regional_account',
        'cs.aws_account.regional_accounts',
        'cs.aws_account.cached_regional_accounts',
        'cs.aws_account.regional_account_set',
        'cs.aws_account.regional_account_set_from_config',
        'cs.ratelimit.properties',
        'cs.ratelimit.configured_properties',
      ]),
    );
  });

  it('the cached factories return the same object for the same arguments; the others new ones', () => {
    const session = createObject('cs.aws_account.cached_session', account);
    expect(createObject('cs.aws_account.cached_session', structuredClone(account))).toBe(session);
    expect(createObject('cs.aws_account.session', account.SessionParameters)).not.toBe(session);
    const acct = createObject('cs.aws_account.cached_account', account);
    expect(createObject('cs.aws_account.cached_account', account)).toBe(acct);
    expect(createObject('cs.aws_account.account', session)).toBeInstanceOf(Account);
    const ra = createObject('cs.aws_account.cached_regional_account', { Account: account });
    expect(createObject('cs.aws_account.cached_regional_account', { Account: account })).toBe(ra);
    const limit = createObject('cs.ratelimit.properties', { maxCount: 2, interval: 100 });
    expect(limit).toBeInstanceOf(RateLimitProperties);
    expect(createObject('cs.aws_account.regional_account', limit, acct, 'us-west-1').region()).toBe(
      'us-west-1',
    );
    const spec = {
      Account: account,
      Filter: { Partitions: { aws: { Regions: { include: ['eu-*'] } } } },
    };
    const container = createObject('cs.aws_account.cached_regional_accounts', spec);
    expect(createObject('cs.aws_account.cached_regional_accounts', structuredClone(spec))).toBe(
      container,
    );
    expect(createObject('cs.aws_account.regional_accounts', spec)).not.toBe(container);
    expect(createObject('cs.aws_account.regional_account_set', container).values()).toContain(
      container,
    );
    const set = createObject('cs.aws_account.regional_account_set_from_config', {
      RegionalAccounts: spec,
    });
    expect([...set.values()]).toEqual([container]);
    const configured = createObject('cs.ratelimit.configured_properties', {
      max_count: 5,
      interval: 2,
    });
    expect([configured.maxCount, configured.interval]).toEqual([5, 2000]);
  });

  it('an unknown name is an error listing the known ones', () => {
    expect(() => createObject('cs.aws_account.cached_sesion')).toThrow(
      /no factory is registered as "cs.aws_account.cached_sesion"; known: cs\.aws_account\.account, /,
    );
    try {
      createObject('nope');
    } catch (error) {
      expect(isFactoryRegistryError(error)).toBe(true);
      expect((error as { factoryName: string }).factoryName).toBe('nope');
    }
  });

  it('applications register their own factories; a taken name needs replace', () => {
    const name = `test.app.${Math.random().toString(36).slice(2)}`;
    registerFactory(name, (n: number) => ({ doubled: n * 2 }));
    expect(createObject(name, 21)).toEqual({ doubled: 42 });
    expect(() => registerFactory(name, () => 1)).toThrow(/already registered as test\.app\./);
    registerFactory(name, () => 'replaced', { replace: true });
    expect(createObject(name)).toBe('replaced');
    const own = new FactoryRegistry({ 'a.b': () => 1 });
    expect(own.names()).toEqual(['a.b']);
    expect(own.has('cs.aws_account.session')).toBe(false);
    expect(() => own.register('', () => 1)).toThrow(/non-empty name/);
    expect(() => own.register('x', 'not a function' as never)).toThrow(/must be a function/);
  });
});

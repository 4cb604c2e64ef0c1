import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { clearAccountFactory } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { isRateLimitConfigError, isRateLimitExceeded } from '@cs/ratelimit';
import { isRateLimitStoreError, RedisRateLimitStore } from '@cs/ratelimit-redis';
import {
  clearRegionalAccountFactory,
  clearRegionalAccountsFactory,
  regionalAccountFactory,
} from '@cs/regional';
import { clearSessionFactory } from '@cs/session';
import { build } from 'esbuild';
import type { BuildOptions as EsbuildOptions } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRegionalAccount,
  buildRegionalAccounts,
  buildRegionalAccountSet,
  buildRegionalAccountSetFromOrganization,
  closeConfiguredStores,
  getSection,
  loadConfig,
} from '../src/index';
import { configErrorOf, rejectedConfigError } from './helpers';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { freePort, startRedisServer } from '../../../test/redis-server.mjs';

const packageDir = join(import.meta.dirname, '..');
const account = { SessionParameters: { region_name: 'eu-west-1', profile_name: 'cs-redis-test' } };
let server: RedisServer;
let keys = 0;
/** A key no other test (or earlier run against a reused server) uses. */
const uniqueKey = (name: string): string => `cs-config-test:${name}:${process.pid}:${++keys}`;
/** The `store` of a RateLimit on the test's Redis. */
const redisStore = (key: string) => ({ redis: { url: server.url, key } });
/**
 * Whether a limit's store is a RedisRateLimitStore, of either build: the builders `require` the
 * CJS one unless `loadConfig` imported the ESM one.
 */
const isRedisStore = (store: unknown): store is RedisRateLimitStore =>
  (store as object | undefined)?.constructor.name === 'RedisRateLimitStore';

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
  clearAccountFactory();
  clearSessionFactory();
});

describe('a RateLimit with store: { redis: { url, key } }', () => {
  it('the builders give the limit a Redis store; the same section shares one limit, and every limit naming the key one budget', async () => {
    const key = uniqueKey('shared');
    const section = {
      Account: account,
      region_name: 'eu-west-1',
      RateLimit: { max_count: 4, interval: 60, block: false, store: redisStore(key) },
      RateLimitOperationSpec: {
        sts: { max_count: 1, interval: 60, store: redisStore(uniqueKey('sts')) },
      },
    };
    const ra = buildRegionalAccount(section);
    expect(buildRegionalAccount(structuredClone(section))).toBe(ra);
    expect(isRedisStore(ra.ratelimit.store)).toBe(true);
    expect((ra.ratelimit.store as RedisRateLimitStore).key).toBe(key);
    expect(isRedisStore(ra.operationLimits.get('sts')?.store)).toBe(true);
    expect(ra.ratelimit.maxCount).toBe(4);

    // Another region of a container names the same key: one budget of 4 for both.
    const container = buildRegionalAccounts({
      Account: account,
      Filter: { Partitions: { aws: { Regions: { include: ['us-east-1'] } } } },
      RateLimit: { max_count: 4, interval: 60, block: false, store: redisStore(key) },
    });
    const other = container.get('us-east-1') as NonNullable<ReturnType<typeof container.get>>;
    expect(isRedisStore(other.ratelimit.store)).toBe(true);
    expect(other.ratelimit.store).not.toBe(ra.ratelimit.store);
    const outcomes = await Promise.allSettled(
      [ra, other, ra, other, ra, other].map((r) => r.ratelimit.acquire()),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4);
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(refusals).toHaveLength(2);
    expect(refusals.every(isRateLimitExceeded)).toBe(true);

    // A change of the shared limit reaches the attached local limits.
    await (ra.ratelimit.store as RedisRateLimitStore).setLimit(10, 60_000);
    await expect.poll(() => other.ratelimit.maxCount, { timeout: 5000 }).toBe(10);
    expect(ra.ratelimit.maxCount).toBe(10);
  });

  it('from ESM, loadConfig imports the ESM build, so the store is an instance of the class the caller imports', async () => {
    const text = [
      'RegionalAccount:',
      '  Account: { SessionParameters: { region_name: eu-west-1 } }',
      '  RateLimit:',
      '    max_count: 2',
      `    store: { redis: { url: "${server.url}", key: "${uniqueKey('esm')}" } }`,
    ].join('\n');
    const config = await loadConfig('app.yaml', { readFile: () => Promise.resolve(text) });
    const ra = buildRegionalAccount(getSection(config, 'RegionalAccount', 'RegionalAccount'));
    expect(ra.ratelimit.store).toBeInstanceOf(RedisRateLimitStore);
  });

  it('closeConfiguredStores closes every store the builders opened; their limits then refuse clearly', async () => {
    const set = buildRegionalAccountSet([
      {
        RegionalAccounts: {
          Account: account,
          Filter: { Partitions: { aws: { Regions: { include: ['eu-west-1', 'eu-west-2'] } } } },
          RateLimit: {
            max_count: 5,
            interval: 1,
            block: true,
            store: redisStore(uniqueKey('close')),
          },
        },
      },
    ]);
    const limits = [...set].map((ra) => ra.ratelimit);
    expect(limits).toHaveLength(2);
    await Promise.all(limits.map((limit) => limit.acquire()));
    await closeConfiguredStores();
    const after = await limits[0]!.acquire().catch((error: unknown) => error);
    expect(isRateLimitStoreError(after), String(after)).toBe(true);
    await closeConfiguredStores(); // nothing left: resolves at once
  });

  it('a configuration built in two processes, one ESM and one CommonJS, shares one budget, and each process ends by itself', async () => {
    const dir = join(packageDir, 'node_modules', '.cache', 'cs-config-redis-test');
    mkdirSync(dir, { recursive: true });
    const entry = join(import.meta.dirname, 'fixtures', 'redis-process.ts');
    const common: EsbuildOptions = {
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      // @cs/* (their built dist), the AWS SDK and the peer are resolved from this package at run time.
      packages: 'external',
      logLevel: 'error',
    };
    await Promise.all([
      build({ ...common, format: 'esm', outfile: join(dir, 'redis-process.mjs') }),
      // As tsup.config.ts does for the package's CJS build (shims: true, and the define).
      build({
        ...common,
        format: 'cjs',
        outfile: join(dir, 'redis-process.cjs'),
        define: { 'import.meta.url': 'importMetaUrl', __CS_CONFIG_CJS__: 'true' },
        banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      }),
    ]);
    const temp = mkdtempSync(join(tmpdir(), 'cs-config-redis-'));
    try {
      const file = join(temp, 'app.yaml');
      writeFileSync(
        file,
        [
          'App:',
          '  RegionalAccount:',
          '    Account: { SessionParameters: { region_name: eu-west-1 } }',
          '    region_name: eu-west-1',
          '    RateLimit:',
          '      max_count: 6',
          '      interval: 60',
          '      block: false',
          `      store: { redis: { url: "${server.url}", key: "${uniqueKey('processes')}" } }`,
          '',
        ].join('\n'),
      );
      const run = (script: string) =>
        new Promise<{ granted: number; refused: number; store: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [join(dir, script), file, '10'], {
            cwd: packageDir,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
          // A process that does not end by itself (a connection left open) fails the test.
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${script} did not exit by itself within 15 s: ${out} ${err}`));
          }, 15_000);
          child.once('exit', (code) => {
            clearTimeout(timer);
            if (code === 0)
              resolve(JSON.parse(out) as { granted: number; refused: number; store: string });
            else reject(new Error(`${script} exited with ${code}: ${err}`));
          });
        });
      const [esm, cjs] = await Promise.all([run('redis-process.mjs'), run('redis-process.cjs')]);
      expect(esm.store).toBe('RedisRateLimitStore');
      expect(cjs.store).toBe('RedisRateLimitStore');
      expect(esm.granted + esm.refused).toBe(10);
      expect(cjs.granted + cjs.refused).toBe(10);
      expect(esm.granted + cjs.granted).toBe(6);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});

describe('what the builders refuse, never echoing the URL', () => {
  const secretUrl = 'redis://:SECRETFIXTURE-hunter2-pw@127.0.0.1:6379';

  it('without @cs/ratelimit-redis installed: a ConfigError at each store saying what to install', () => {
    const notInstalled = (): never => {
      throw Object.assign(new Error("Cannot find module '@cs/ratelimit-redis'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    const error = configErrorOf(() =>
      buildRegionalAccountSet(
        [
          {
            RegionalAccounts: {
              Account: account,
              RateLimitRegionSpec: {
                'us-east-1': { max_count: 1, store: { redis: { url: secretUrl, key: 'a' } } },
              },
              RateLimit: { max_count: 2, store: { redis: { url: secretUrl, key: 'b' } } },
            },
          },
        ],
        { loadRateLimitRedis: notInstalled, path: 'App.Set' },
      ),
    );
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      'App.Set[0].RegionalAccounts.RateLimit.store',
      'App.Set[0].RegionalAccounts.RateLimitRegionSpec.us-east-1.store',
    ]);
    expect(error.problems[0]?.message).toContain('npm install @cs/ratelimit-redis ioredis');
    expect(inspect(error)).not.toContain('hunter2');

    const wrongModule = configErrorOf(() =>
      buildRegionalAccount(
        { Account: account, RateLimit: { store: { redis: { url: secretUrl, key: 'c' } } } },
        { loadRateLimitRedis: () => ({}) },
      ),
    );
    expect(wrongModule.message).toContain('has no createRedisRateLimitStore');
  });

  it('a store without key or redis, or with a URL Redis cannot open, is placed at its path', () => {
    const error = configErrorOf(() =>
      buildRegionalAccount({
        Account: account,
        region_name: 'eu-west-1',
        RateLimit: { max_count: 1, store: { redis: { url: secretUrl } } },
        RateLimitOperationSpec: {
          iam: { max_count: 1, store: {} },
          'iam:ListRoles': {
            max_count: 1,
            store: { redis: { url: 'redis://:SECRETFIXTURE-hunter2@[::1', key: 'k' } },
          },
        },
      }),
    );
    expect(error.problems.map((p) => [p.path, p.message.slice(0, 24)])).toEqual([
      ['RegionalAccount.RateLimit.store.redis', 'key is required: the nam'],
      ['RegionalAccount.RateLimitOperationSpec.iam.store', 'name the store: redis: {'],
      [
        'RegionalAccount.RateLimitOperationSpec.iam:ListRoles.store.redis.url',
        'expected a redis:// or r',
      ],
    ]);
    expect(inspect(error)).not.toContain('hunter2');
  });

  it('an unreachable Redis: the acquisition fails with RateLimitStoreError, without the password', async () => {
    const url = `redis://:SECRETFIXTURE-hunter2-pw@127.0.0.1:${await freePort()}`;
    const ra = buildRegionalAccount({
      Account: account,
      region_name: 'eu-west-1',
      RateLimit: { max_count: 1, interval: 1, store: { redis: { url, key: uniqueKey('down') } } },
    });
    const error = await ra.ratelimit.acquire().catch((e: unknown) => e);
    expect(isRateLimitStoreError(error), String(error)).toBe(true);
    expect(inspect(error)).not.toContain('hunter2');
  });

  it('regional factories without createRateLimit refuse a store, naming the option', () => {
    const direct = (() => {
      try {
        return regionalAccountFactory({
          Account: account,
          region_name: 'eu-west-1',
          RateLimit: { max_count: 1, store: { redis: { url: secretUrl, key: 'k' } } } as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isRateLimitConfigError(direct), String(direct)).toBe(true);
    expect(String(direct)).toContain('createRateLimit');
  });
});

describe('an Organization section with a RateLimit store, against aws-local', () => {
  const mgmtKey = {
    accessKeyId: 'AKIAFIXTUREORGREDIS1',
    secretAccessKey: 'SECRETFIXTURE-org-redis',
  };
  const memberRole = [{ name: 'OrganizationAccountAccessRole', trust: ['111111111111'] }];
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({
      accounts: [
        { id: '111111111111', name: 'management', users: [{ name: 'ci', accessKeys: [mgmtKey] }] },
        { id: '444444444444', name: 'team-a', parent: 'Sandbox', roles: memberRole },
        { id: '555555555555', name: 'team-b', parent: 'Sandbox', roles: memberRole },
        {
          id: '666666666666',
          name: 'closed',
          parent: 'Sandbox',
          status: 'SUSPENDED',
          roles: memberRole,
        },
      ],
      organization: { managementAccountId: '111111111111', units: [{ name: 'Sandbox' }] },
    });
  });
  afterAll(async () => {
    await aws.close();
  });

  /** A document whose organisation section limits every member and region to one Redis budget. */
  const organizationDocument = (key: string): string =>
    [
      'App:',
      '  RegionalAccountSet:',
      '    - RegionalAccounts:',
      '        Organization:',
      '          Account:',
      '            SessionParameters:',
      `              aws_access_key_id: ${mgmtKey.accessKeyId}`,
      `              aws_secret_access_key: ${mgmtKey.secretAccessKey}`,
      '              region_name: us-east-1',
      `              EndpointUrl: ${aws.url}`,
      '          OUs: [Sandbox]',
      '          RateLimit: { max_count: 50, interval: 1 }',
      '        Filter: { Partitions: { aws: { Regions: { include: [us-east-1, eu-west-1] } } } }',
      '        RateLimit:',
      '          max_count: 4',
      '          interval: 60',
      '          block: false',
      `          store: { redis: { url: "${server.url}", key: "${key}" } }`,
      '',
    ].join('\n');

  it('every member gets a Redis store of the key: one budget for the whole organisation and for a second build, closed by closeConfiguredStores', async () => {
    const key = uniqueKey('organization');
    const config = await loadConfig('org.yaml', {
      readFile: () => Promise.resolve(organizationDocument(key)),
    });
    const section = getSection(config, 'App.RegionalAccountSet', 'RegionalAccountSet');
    const set = await buildRegionalAccountSetFromOrganization(section);
    const targets = [...set];
    expect(targets.map((ra) => ra.region()).sort()).toEqual([
      'eu-west-1',
      'eu-west-1',
      'us-east-1',
      'us-east-1',
    ]);
    for (const ra of targets) {
      expect(ra.ratelimit.store).toBeInstanceOf(RedisRateLimitStore);
      expect((ra.ratelimit.store as RedisRateLimitStore).key).toBe(key);
    }
    expect(new Set(targets.map((ra) => ra.ratelimit.store)).size).toBe(4);

    // One call per member and region spends the budget of 4 in Redis.
    const report = await set.map(
      async (ra) => (await ra.callClient<{ Account?: string }>('sts', 'GetCallerIdentity')).Account,
    );
    expect(report.summary).toMatchObject({ succeeded: 4, failed: 0, skipped: 2 });
    expect(report.values().sort()).toEqual([
      '444444444444',
      '444444444444',
      '555555555555',
      '555555555555',
    ]);
    // Each in-memory limit of 4 would have 3 slots left; the shared budget has none.
    const refused = await targets[0]!.ratelimit.acquire().catch((e: unknown) => e);
    expect(isRateLimitExceeded(refused), String(refused)).toBe(true);

    // A second build in this process (new RegionalAccounts, new stores) meets the same budget.
    clearRegionalAccountFactory();
    clearRegionalAccountsFactory();
    const again = [...(await buildRegionalAccountSetFromOrganization(section))];
    expect(again).toHaveLength(4);
    expect(again.some((ra) => targets.includes(ra))).toBe(false);
    const second = await again[3]!.ratelimit.acquire().catch((e: unknown) => e);
    expect(isRateLimitExceeded(second), String(second)).toBe(true);

    await closeConfiguredStores();
    for (const ra of [targets[1]!, again[2]!]) {
      const closed = await ra.ratelimit.acquire().catch((e: unknown) => e);
      expect(isRateLimitStoreError(closed), String(closed)).toBe(true);
    }
  });

  it('a store without a key, or without @cs/ratelimit-redis, is a ConfigError before AWS is asked', async () => {
    const requests = aws.stats.requests;
    const noKey = await rejectedConfigError(
      buildRegionalAccountSetFromOrganization(
        [
          {
            RegionalAccounts: {
              Organization: { Account: account },
              RateLimit: { max_count: 1, store: { redis: { url: server.url } } },
            },
          },
        ],
        { path: 'App.RegionalAccountSet' },
      ),
    );
    expect(noKey.problems.map((p) => p.path)).toEqual([
      'App.RegionalAccountSet[0].RegionalAccounts.RateLimit.store.redis',
    ]);
    const notInstalled = await rejectedConfigError(
      buildRegionalAccountSetFromOrganization(
        [
          {
            RegionalAccounts: {
              Organization: { Account: account },
              RateLimit: { max_count: 1, store: redisStore('k') },
            },
          },
        ],
        {
          loadRateLimitRedis: () => {
            throw Object.assign(new Error("Cannot find module '@cs/ratelimit-redis'"), {
              code: 'MODULE_NOT_FOUND',
            });
          },
        },
      ),
    );
    expect(notInstalled.problems[0]?.message).toContain('npm install @cs/ratelimit-redis ioredis');
    expect(aws.stats.requests).toBe(requests);
  });
});

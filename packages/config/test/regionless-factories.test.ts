import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearAccountFactory } from '@cs/account';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { clearRegionalAccountFactory, isRegionRequiredError } from '@cs/regional';
import { Session, clearSessionFactory, sessionFactory } from '@cs/session';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createObject, isConfigError } from '../src/index';

// The registry's factories without a region, or without any argument, against @cs/aws-local,
// as the original's (cs.aws_account + boto3) behave (issue 22).

const key = { accessKeyId: 'AKIAFIXTUREREGION01', secretAccessKey: 'SECRETFIXTURE-regionless' };
let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [{ id: '111111111111', users: [{ name: 'ci', accessKeys: [key] }] }],
  });
  dir = mkdtempSync(join(tmpdir(), 'cs-config-region-'));
  writeFileSync(join(dir, 'config'), '[profile dev]\nregion = eu-south-1\n');
});
beforeEach(() => {
  // The SDK's default chain finds the fixture's key and the local endpoint in the environment; no
  // region, and shared files of the test's own.
  vi.stubEnv('AWS_ACCESS_KEY_ID', key.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', key.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', aws.url);
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  aws.resetStats();
});
afterEach(() => {
  clearRegionalAccountFactory();
  clearAccountFactory();
  clearSessionFactory();
});
afterAll(async () => {
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('registry factories accept what the factories they stand for accept', () => {
  it('cached_session and cached_account with no argument: the SDK default chain, as sessionFactory()', async () => {
    const session = createObject('cs.aws_account.cached_session');
    expect(session).toBeInstanceOf(Session);
    expect(session).toBe(sessionFactory());
    expect(await session.accountId()).toBe('111111111111');
    const account = createObject('cs.aws_account.cached_account');
    expect(account.session()).toBe(session);
  });

  it('an invalid section is a ConfigError naming the factory that was called', () => {
    let error: unknown;
    try {
      createObject('cs.aws_account.cached_session', {
        SessionParameters: { region_name: 5 },
      } as never);
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain("createObject('cs.aws_account.cached_session')");
    expect((error as Error).message).toContain('SessionParameters.region_name');
  });
});

describe('cached_regional_account without region_name looks where the SDK looks', () => {
  it('AWS_REGION', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    const ra = createObject('cs.aws_account.cached_regional_account', { Account: {} });
    expect(ra.region()).toBe('eu-west-3');
    expect(await ra.callClient('sts', 'get_caller_identity')).toMatchObject({
      Account: '111111111111',
    });
    expect(aws.stats.byRegion).toEqual({ 'eu-west-3': 1 });
    // With no argument at all, as regionalAccountFactory(): the default chain's account.
    const bare = createObject('cs.aws_account.cached_regional_account');
    expect(bare.account()).toBe(ra.account());
    expect(bare.region()).toBe('eu-west-3');
    const container = createObject('cs.aws_account.cached_regional_accounts', {
      Filter: { Partitions: { aws: { Regions: { include: ['eu-west-3'] } } } },
    });
    expect([...container.keys()]).toEqual(['eu-west-3']);
  });

  it("the region of the session's profile in the shared config file", () => {
    const ra = createObject('cs.aws_account.cached_regional_account', {
      Account: { SessionParameters: { profile_name: 'dev' } },
    });
    expect(ra.region()).toBe('eu-south-1');
  });

  it('the session’s own region first', () => {
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    const ra = createObject('cs.aws_account.cached_regional_account', {
      Account: { SessionParameters: { region_name: 'ap-east-1' } },
    });
    expect(ra.region()).toBe('ap-east-1');
  });

  it('no region anywhere: RegionRequiredError saying where it looked, from the factory called', () => {
    let error: unknown;
    try {
      createObject('cs.aws_account.cached_regional_account', { Account: {} });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    const cause = (error as Error).cause;
    expect(isRegionRequiredError(cause)).toBe(true);
    expect((cause as { looked: string[] }).looked).toEqual([
      'the session (region_name)',
      'AWS_REGION',
      `region of profile "default" in ${join(dir, 'config')}`,
      `region of profile "default" in ${join(dir, 'credentials')}`,
    ]);
    const message = (error as Error).message;
    expect(message).toContain("createObject('cs.aws_account.cached_regional_account')");
    expect(message).toContain('AWS_REGION');
    expect(message).toContain(join(dir, 'config'));
  });
});

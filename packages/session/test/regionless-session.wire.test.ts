import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRegionMissingError, isSessionError } from '../src/errors';
import { Session } from '../src/Session';
import { BASE_KEY, fixture } from './fixture';

let aws: LocalAws;
let dir: string;
const sessions: Session[] = [];
const regionless = (extra: Record<string, string> = {}) => {
  const session = new Session({
    aws_access_key_id: BASE_KEY.accessKeyId,
    aws_secret_access_key: BASE_KEY.secretAccessKey,
    EndpointUrl: aws.url,
    ...extra,
  });
  sessions.push(session);
  return session;
};

beforeAll(async () => {
  aws = await startLocalAws(fixture());
  dir = mkdtempSync(join(tmpdir(), 'cs-session-region-'));
  writeFileSync(
    join(dir, 'config'),
    [
      '[default]',
      'output = json',
      '[profile dev]',
      'region = ap-southeast-2',
      's3 =',
      '  region = eu-north-1',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'credentials'), '[creds-only]\nregion = ca-central-1\n');
});
beforeEach(() => {
  // Nothing from the machine: no region in the environment, shared files of the test's own.
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  aws.resetStats();
});
afterAll(async () => {
  for (const session of sessions) session.destroy();
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('clients of a session without a region (issue 22)', () => {
  it('gives an STS client the region the session uses for STS, as boto3 gives the partition default', async () => {
    const session = regionless();
    const out = await session.client(STSClient).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('111111111111');
    expect(await session.accountId()).toBe('111111111111');
    expect(aws.stats.byRegion).toEqual({ 'us-east-1': 2 });
  });

  it('gives clients the region of AWS_REGION before any default, as the SDK does', async () => {
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const session = regionless();
    await session.client(STSClient).send(new GetCallerIdentityCommand({}));
    await session.client(EC2Client).send(new DescribeRegionsCommand({}));
    expect(aws.stats.byRegion).toEqual({ 'eu-central-1': 2 });
    expect(session.findRegion()).toMatchObject({ region: 'eu-central-1', source: 'AWS_REGION' });
  });

  it("gives clients the region of the session's profile in the shared config file", async () => {
    const session = regionless({ profile_name: 'dev' });
    expect(session.findRegion()).toEqual({
      region: 'ap-southeast-2',
      source: `region of profile "dev" in ${join(dir, 'config')}`,
      looked: [
        'the session (region_name)',
        'AWS_REGION',
        `region of profile "dev" in ${join(dir, 'config')}`,
      ],
    });
    vi.stubEnv('AWS_PROFILE', 'creds-only');
    expect(regionless().findRegion().region).toBe('ca-central-1');
  });

  it('uses the profile region for a regional service called for real', async () => {
    vi.stubEnv('AWS_PROFILE', 'dev');
    const session = regionless();
    const out = await session.client(EC2Client).send(new DescribeRegionsCommand({}));
    expect(out.Regions?.length).toBeGreaterThan(0);
    expect(aws.stats.byRegion).toEqual({ 'ap-southeast-2': 1 });
  });

  it('fails a regional client with the project’s own error naming what to set, never the bare "Region is missing"', async () => {
    const session = regionless();
    const ec2 = session.client(EC2Client);
    const error: unknown = await ec2.send(new DescribeRegionsCommand({})).catch((e: unknown) => e);
    expect(isRegionMissingError(error)).toBe(true);
    expect(isSessionError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toMatch(/^Region is missing$/);
    expect(message).toContain('a ec2 client needs a region');
    expect(message).toContain('AWS_REGION');
    expect(message).toContain(`region of profile "default" in ${join(dir, 'config')}`);
    expect(message).toMatch(/region_name.*AWS_REGION/);
    expect(aws.stats.byRegion).toEqual({});
    // The same cached client finds a region set later: it looks again at each call.
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    await ec2.send(new DescribeRegionsCommand({}));
    expect(aws.stats.byRegion).toEqual({ 'eu-west-3': 1 });
  });

  it('keeps an explicit region first: client option, then the session', async () => {
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const session = regionless({ region_name: 'us-west-2' });
    await session.client(EC2Client).send(new DescribeRegionsCommand({}));
    await session.client(EC2Client, { region: 'sa-east-1' }).send(new DescribeRegionsCommand({}));
    expect(aws.stats.byRegion).toEqual({ 'us-west-2': 1, 'sa-east-1': 1 });
  });
});

import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configText, ENV, fixture, healthyConfigText } from './fixture';
import { removeScratchDirs, runCli, scratchDir } from './helpers';

let aws: LocalAws;
let mixed: string; // a directory whose cs-aws.yaml has a region that one account has not enabled
let healthy: string; // every target enabled

beforeAll(async () => {
  aws = await startLocalAws(fixture());
  mixed = scratchDir({ 'cs-aws.yaml': configText(aws.url) });
  healthy = scratchDir({ 'cs-aws.yaml': healthyConfigText(aws.url) });
});

afterAll(async () => {
  await aws.close();
  removeScratchDirs();
});

const parseNdjson = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.concurrent('cs-aws against a configuration', () => {
  it('targets --resolve: lists every account × region of ./cs-aws.yaml as JSON, sorted, with aliases (status 0)', async () => {
    const run = await runCli(['targets', '--resolve', '--output', 'json'], {
      cwd: mixed,
      env: ENV,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(
      document.results.map((r: Record<string, unknown>) => [
        r.accountId,
        r.alias,
        r.region,
        r.status,
      ]),
    ).toEqual([
      ['111111111111', 'test-main', 'eu-west-1', 'succeeded'],
      ['111111111111', 'test-main', 'us-east-1', 'succeeded'],
      ['222222222222', 'test-member', 'eu-west-1', 'succeeded'],
      ['222222222222', 'test-member', 'us-east-1', 'succeeded'],
    ]);
    expect(document.results[0].value).toEqual({ rateLimit: '20/1s' });
    expect(document.summary).toMatchObject({
      total: 4,
      succeeded: 4,
      failed: 0,
      skipped: 0,
      stopped: null,
    });
  });

  it('whoami: gives each target its ARN; a region the account has not enabled fails with the hint (status 1)', async () => {
    const run = await runCli(['whoami', '--output', 'json'], { cwd: mixed, env: ENV });
    expect(run.code).toBe(1);
    const { results, summary } = JSON.parse(run.stdout);
    const byTarget = Object.fromEntries(
      results.map((r: { alias: string; region: string }) => [`${r.alias}/${r.region}`, r]),
    );
    expect(byTarget['test-main/us-east-1'].value.arn).toBe('arn:aws:iam::111111111111:user/tester');
    expect(byTarget['test-member/us-east-1'].value.arn).toMatch(
      /^arn:aws:sts::222222222222:assumed-role\/Reader\/test$/,
    );
    expect(byTarget['test-member/eu-west-1']).toMatchObject({
      status: 'failed',
      error: {
        code: 'InvalidClientTokenId',
        hint: expect.stringContaining('region is not enabled'),
      },
    });
    expect(summary).toMatchObject({ total: 4, succeeded: 3, failed: 1 });
    expect(summary.failures).toEqual([
      expect.objectContaining({ status: 'failed', count: 1, targets: ['test-member/eu-west-1'] }),
    ]);
  });

  it('whoami as a table: rows sized to the terminal width, summary per account and region, failures grouped', async () => {
    const run = await runCli(['whoami', '--verbose'], {
      cwd: mixed,
      env: { ...ENV, COLUMNS: '80' },
    });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^account\s+alias\s+region\s+status\s+arn\s+time$/);
    // Piped, the width is COLUMNS (else 100).
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.some((l) => l.includes('…'))).toBe(true); // the ARN column was shortened
    expect(run.stdout).toContain('4 targets: 3 succeeded, 1 failed, 0 skipped');
    expect(run.stdout).toMatch(/test-member \(222222222222\)\s+1\s+1\s+0/);
    expect(run.stdout).toMatch(/eu-west-1\s+1\s+1\s+0/);
    expect(run.stdout).toContain('failed (1) invalid-credentials: InvalidClientTokenId');
    expect(run.stdout).toContain('the region is not enabled for this account');
    // --verbose: each failed target with its whole message, wrapped to the width.
    expect(run.stdout).toMatch(
      /messages:\n {2}test-member\/eu-west-1: sts:GetCallerIdentity failed in account/,
    );
  });

  it('call --paginate: reads every page of ec2 DescribeInstances, NDJSON one line per target then a summary', async () => {
    const run = await runCli(
      [
        'call',
        'ec2',
        'DescribeInstances',
        '--paginate',
        '--input',
        '{"MaxResults":5}',
        '--output',
        'ndjson',
      ],
      { cwd: healthy, env: ENV },
    );
    expect(run.code).toBe(0);
    const lines = parseNdjson(run.stdout);
    expect(lines.map((l) => l.type)).toEqual(['target', 'target', 'summary']);
    const member = lines.find((l) => l.accountId === '222222222222') as {
      value: { pages: number; output: { Reservations: { Instances: unknown[] }[] } };
    };
    expect(member.value.pages).toBe(3); // 12 instances, 5 a page
    const instances = member.value.output.Reservations.flatMap((r) => r.Instances);
    expect(instances).toHaveLength(12);
    expect(lines[2]).toMatchObject({
      type: 'summary',
      command: 'call ec2 DescribeInstances',
      total: 2,
      succeeded: 2,
    });
  });

  it('call without --paginate: one answer per target, the table describes it', async () => {
    const run = await runCli(['call', 'ec2', 'describe_instances'], { cwd: healthy, env: ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/test-member\s+us-east-1\s+ok\s+Reservations: 12 \(.*Instances: 12/);
  });

  it('--ignore CODE turns the failures into skips (status 0); --fail-fast and --tolerance stop the run (status 1)', async () => {
    const ignored = await runCli(
      ['whoami', '--ignore', 'InvalidClientTokenId', '--output', 'json'],
      {
        cwd: mixed,
        env: ENV,
      },
    );
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(JSON.parse(ignored.stdout).summary).toMatchObject({
      succeeded: 3,
      failed: 0,
      skipped: 1,
    });

    const fast = await runCli(['whoami', '--fail-fast', '--concurrency', '1', '--output', 'json'], {
      cwd: mixed,
      env: ENV,
    });
    expect(fast.code, fast.stderr).toBe(1);
    expect(JSON.parse(fast.stdout).summary).toMatchObject({ failed: 1, stopped: 'fail-fast' });

    const tolerated = await runCli(
      ['whoami', '--tolerance', '0', '--concurrency', '1', '-o', 'json'],
      {
        cwd: mixed,
        env: ENV,
      },
    );
    expect(tolerated.code, tolerated.stderr).toBe(1);
    expect(JSON.parse(tolerated.stdout).summary).toMatchObject({ failed: 1, stopped: 'tolerance' });
  });

  it('an Organization source that AWS refuses to list: the AWS error with its call and account (status 1)', async () => {
    const text = `${configText(aws.url)}\nOrgApp:\n RegionalAccountSet:\n  - RegionalAccounts:\n     Organization:\n      Account:\n       SessionParameters: *creds\n`;
    const dir = scratchDir({ 'cs-aws.yaml': text });
    const run = await runCli(['targets', '--resolve', '--app', 'OrgApp'], { cwd: dir, env: ENV });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^cs-aws: organizations:ListAccounts failed in account .*111111111111.*: AWSOrganizationsNotInUseException/,
    );
    expect(run.stderr).not.toContain('unexpected error');
  });

  it('an operation the service does not have is a usage error (status 2) that names it', async () => {
    const run = await runCli(['call', 'ec2', 'DescribeNothing'], { cwd: healthy, env: ENV });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('DescribeNothing');
    expect(run.stdout).toBe('');
  });
});

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configText, ENV, fixture, healthyConfigText, KEY } from './fixture';
import { assertNoFixtureSecret, removeScratchDirs, runCli, scratchDir } from './helpers';

let aws: LocalAws;
let healthy: string;
let mixed: string;

beforeAll(async () => {
  aws = await startLocalAws(fixture());
  healthy = scratchDir({ 'cs-aws.yaml': healthyConfigText(aws.url) });
  mixed = scratchDir({ 'cs-aws.yaml': configText(aws.url) });
});

afterAll(async () => {
  await aws.close();
  removeScratchDirs();
});

const json = (text: string) =>
  JSON.parse(text) as {
    results: Record<string, unknown>[];
    summary: Record<string, unknown>;
  };
const targetsOf = (text: string): string[] =>
  json(text)
    .results.map((r) => `${String(r.accountId)}/${String(r.region)}/${String(r.status)}`)
    .sort();

describe('cs-aws targets is an offline plan', () => {
  it('makes no AWS call and works with the endpoint down', async () => {
    // A port nothing listens on: any call would be a network error.
    const dir = scratchDir({
      'cs-aws.yaml': configText('http://127.0.0.1:9'),
    });
    const run = await runCli(['targets', '--output', 'json'], { cwd: dir, env: ENV });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const results = json(run.stdout).results;
    expect(results.map((r) => `${String(r.accountId)}/${String(r.region)}`).sort()).toEqual([
      '222222222222/eu-west-1',
      '222222222222/us-east-1',
      'null/eu-west-1',
      'null/us-east-1',
    ]);
    expect(results.find((r) => r.accountId === '222222222222')?.value).toEqual({
      credentials: 'role arn:aws:iam::222222222222:role/Reader',
      rateLimit: '20/1s',
    });
  });

  it('plans an organisation as one row per region, without listing it', async () => {
    const run = await runCli(['targets', '--output', 'json']);
    expect(run.code).toBe(0);
    const { results } = json(run.stdout);
    expect(results.map((r) => r.region)).toEqual([
      'af-south-1',
      'ap-southeast-2',
      'eu-west-1',
      'us-east-1',
    ]);
    expect(String((results[0]?.value as { credentials: string }).credentials)).toContain(
      'organization members',
    );
    const table = await runCli(['targets']);
    expect(table.stdout).toContain('planned');
    expect(table.stdout).toContain('without any AWS call');
  });
});

describe('selecting targets', () => {
  it('--accounts and --regions narrow by alias, id and glob', async () => {
    const run = await runCli(
      ['whoami', '--output', 'json', '--accounts', 'test-mem*', '--regions', 'us-*'],
      { cwd: mixed, env: ENV },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(targetsOf(run.stdout)).toEqual(['222222222222/us-east-1/succeeded']);
    const byId = await runCli(['whoami', '--output', 'json', '--accounts', '111111111111'], {
      cwd: healthy,
      env: ENV,
    });
    expect(targetsOf(byId.stdout)).toEqual(['111111111111/us-east-1/succeeded']);
  });

  it('a pattern that matches nothing is a usage error naming it (status 2)', async () => {
    const run = await runCli(['whoami', '--accounts', 'test-main,nobody', '--regions', 'ap-*'], {
      cwd: mixed,
      env: ENV,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cs-aws: --accounts nobody, --regions ap-\*: no target of/);
    expect(run.stdout).toBe('');
  });

  it('selects organisation members by tag, without an OU and the management account', async () => {
    const run = await runCli(['whoami', '--app', 'CsAwsDemoWeb', '--output', 'json', '-q']);
    const accounts = [...new Set(json(run.stdout).results.map((r) => r.accountId))];
    expect(accounts).toEqual(['222222222222', '333333333333']);
  });

  it('--profile gives the sessions that name no credentials a profile of the AWS config files', async () => {
    const dir = scratchDir({
      'cs-aws.yaml': `App:\n RegionalAccountSet:\n  - RegionalAccounts:\n     Account:\n      SessionParameters: { region_name: us-east-1, EndpointUrl: ${aws.url} }\n     Filter: { Partitions: { aws: { Regions: { include: [us-east-1] } } } }\n`,
      credentials: `[ops]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
      config: '[profile ops]\nregion = us-east-1\n',
    });
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
    };
    const run = await runCli(['whoami', '--profile', 'ops', '--output', 'json'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(targetsOf(run.stdout)).toEqual(['111111111111/us-east-1/succeeded']);
    assertNoFixtureSecret(run, 'cs-aws whoami --profile ops');
    const missing = await runCli(['whoami', '--profile', 'nope', '--output', 'json'], {
      cwd: dir,
      env,
    });
    expect(missing.code).toBe(1);
  });
});

describe('cs-aws call', () => {
  it('calls a global service once per account, at the partition’s global region', async () => {
    const run = await runCli(['call', 'iam', 'ListAccountAliases', '--output', 'json'], {
      cwd: mixed,
      env: ENV,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(targetsOf(run.stdout)).toEqual([
      '111111111111/us-east-1/succeeded',
      '222222222222/us-east-1/succeeded',
    ]);
    expect(run.stderr).toContain('iam is a global service');
  });

  it('--query applies JMESPath to each answer and --output csv gives a row per item', async () => {
    const run = await runCli(
      [
        'call',
        'ec2',
        'DescribeInstances',
        '--paginate',
        '--query',
        'Reservations[].Instances[].{id: InstanceId, state: State.Name}',
        '--output',
        'csv',
      ],
      { cwd: healthy, env: ENV },
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('account_id,alias,region,status,id,state');
    // 3 instances in 111111111111/us-east-1 and 12 in 222222222222/us-east-1.
    expect(lines).toHaveLength(1 + 3 + 12);
    expect(lines[1]).toMatch(/^111111111111,test-main,us-east-1,succeeded,i-[0-9a-f]+,running$/);
  });

  it('--output csv gives a target whose list is empty one row of its own', async () => {
    const run = await runCli(
      [
        'call',
        'ec2',
        'DescribeInstances',
        '--query',
        "Reservations[].Instances[?InstanceType == 'no-such-type'][].InstanceId",
        '--output',
        'csv',
      ],
      { cwd: healthy, env: ENV },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'account_id,alias,region,status',
      '111111111111,test-main,us-east-1,succeeded',
      '222222222222,test-member,us-east-1,succeeded',
    ]);
  });

  it('an expression that is not JMESPath is a usage error before any call', async () => {
    aws.resetStats();
    const run = await runCli(['whoami', '--query', 'Reservations[.Id'], { cwd: healthy, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^cs-aws: --query "Reservations\[\.Id" is not a JMESPath expression/,
    );
    expect(aws.stats.requests).toBe(0);
  });

  it('--max-attempts sets the SDK’s attempts of every call', async () => {
    aws.resetStats();
    const stop = aws.inject.fault({ fault: 503, service: 'ec2' });
    try {
      const once = await runCli(
        ['call', 'ec2', 'DescribeRegions', '--max-attempts', '1', '--accounts', 'test-main'],
        { cwd: healthy, env: ENV },
      );
      expect(once.code).toBe(1);
      expect(aws.stats.byOperation['ec2:DescribeRegions']).toBe(1);
      aws.resetStats();
      const thrice = await runCli(
        ['call', 'ec2', 'DescribeRegions', '--max-attempts', '3', '--accounts', 'test-main'],
        { cwd: healthy, env: ENV },
      );
      expect(thrice.code).toBe(1);
      expect(aws.stats.byOperation['ec2:DescribeRegions']).toBe(3);
    } finally {
      stop();
    }
  });
});

describe('cs-aws exec', () => {
  it('runs the program per target with the target’s credentials in its environment only', async () => {
    const out = join(scratchDir(), 'out');
    const script =
      'echo "$CS_AWS_ACCOUNT_ID $CS_AWS_ACCOUNT_ALIAS $AWS_REGION $AWS_DEFAULT_REGION $AWS_ENDPOINT_URL"; ' +
      'test -n "$AWS_ACCESS_KEY_ID" && test -n "$AWS_SECRET_ACCESS_KEY" && echo keys; ' +
      'test "$CS_AWS_ACCOUNT_ID" = 222222222222 && test -n "$AWS_SESSION_TOKEN" && echo token; ' +
      'test "$CS_AWS_ACCOUNT_ID" != 111111111111';
    const run = await runCli(
      ['exec', '--output', 'json', '--output-dir', out, '--', 'sh', '-c', script],
      { cwd: healthy, env: ENV },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout, run.stderr).not.toBe('');
    assertNoFixtureSecret(run, 'cs-aws exec');
    const { results } = json(run.stdout);
    const member = results.find((r) => r.accountId === '222222222222')!;
    expect(member.status).toBe('succeeded');
    expect((member.value as { stdout: string }).stdout).toBe(
      `222222222222 test-member us-east-1 us-east-1 ${aws.url}\nkeys\ntoken\n`,
    );
    const main = results.find((r) => r.accountId === '111111111111')!;
    expect(main).toMatchObject({
      status: 'failed',
      error: { code: 'ExitStatus1', message: 'sh exited with status 1' },
    });
    expect(readdirSync(out).sort()).toEqual(['111111111111', '222222222222', 'summary.json']);
    const kept = JSON.parse(readFileSync(join(out, '222222222222', 'us-east-1.json'), 'utf8'));
    expect(kept).toMatchObject({ status: 'succeeded', value: { exitCode: 0 } });
    for (const file of [
      '111111111111/us-east-1.json',
      '222222222222/us-east-1.json',
      'summary.json',
    ])
      expect(readFileSync(join(out, file), 'utf8')).not.toContain(KEY.secretAccessKey);
  });

  it('--timeout fails a program that runs too long and stops it', async () => {
    const started = Date.now();
    const run = await runCli(
      [
        'exec',
        '--timeout',
        '300ms',
        '--output',
        'json',
        '--accounts',
        'test-main',
        '--',
        'sleep',
        '20',
      ],
      { cwd: healthy, env: ENV },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout, run.stderr).not.toBe('');
    expect(json(run.stdout).results[0]).toMatchObject({
      status: 'failed',
      error: { class: 'network' },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a program that does not exist is one usage error, not one per target', async () => {
    const run = await runCli(['exec', '--', 'no-such-program-cs-aws'], { cwd: healthy, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cs-aws: exec: no-such-program-cs-aws: program not found/);
    expect(run.stderr.match(/not found/g)).toHaveLength(1);
  });

  it('needs the program after --', async () => {
    const run = await runCli(['exec', 'sh'], { cwd: healthy, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^cs-aws: unexpected argument "sh": put the program to run after "--"/,
    );
  });
});

describe('--output-dir and --resume', () => {
  it('keeps a file per target and skips, on resume, the targets that already succeeded', async () => {
    const out = join(scratchDir(), 'run');
    const first = await runCli(['whoami', '--output-dir', out, '-q'], { cwd: mixed, env: ENV });
    expect(first.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ command: 'whoami', total: 4, succeeded: 3, failed: 1 });
    expect(existsSync(join(out, '222222222222', 'eu-west-1.json'))).toBe(true);
    aws.resetStats();
    const resumed = await runCli(['whoami', '--output-dir', out, '--resume', '--output', 'json'], {
      cwd: mixed,
      env: ENV,
    });
    expect(resumed.code).toBe(1);
    const { results, summary: again } = json(resumed.stdout);
    expect(again).toMatchObject({ total: 4, succeeded: 0, failed: 1, skipped: 3 });
    expect(
      results
        .filter((r) => r.status === 'skipped')
        .map((r) => (r.error as { class: string }).class),
    ).toEqual(['already-succeeded', 'already-succeeded', 'already-succeeded']);
    // Only the failed target was called again (in eu-west-1); in us-east-1, the base account's
    // id was read once to match the kept files (the assumed role's came with its credentials).
    const calls = aws.stats.log.filter((e) => e.operation === 'GetCallerIdentity');
    expect(calls.filter((e) => e.region === 'eu-west-1')).toHaveLength(1);
    expect(calls.filter((e) => e.region === 'us-east-1')).toHaveLength(1);
    expect(aws.stats.byOperation['sts:AssumeRole']).toBe(1);
  });

  it('--resume needs --output-dir', async () => {
    const run = await runCli(['whoami', '--resume'], { cwd: healthy, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cs-aws: --resume needs --output-dir DIR/);
  });

  it('a file that is not a result of ours is not taken for a success', async () => {
    const out = join(scratchDir(), 'run');
    await runCli(['whoami', '--output-dir', out, '-q'], { cwd: healthy, env: ENV });
    writeFileSync(join(out, '111111111111', 'us-east-1.json'), '{"status": "succ');
    const resumed = await runCli(['whoami', '--output-dir', out, '--resume', '--output', 'json'], {
      cwd: healthy,
      env: ENV,
    });
    expect(targetsOf(resumed.stdout)).toEqual([
      '111111111111/us-east-1/succeeded',
      '222222222222/us-east-1/skipped',
    ]);
  });
});

describe('help, usage errors and skipped targets', () => {
  it('has help for every command, as cs-aws help X and cs-aws X --help', async () => {
    for (const command of ['targets', 'whoami', 'call', 'exec', 'tour']) {
      const viaHelp = await runCli(['help', command]);
      const viaFlag = await runCli([command, '--help']);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.stdout.startsWith(`cs-aws ${command}`)).toBe(true);
    }
    const unknown = await runCli(['help', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cs-aws: help nope: no such command/);
  });

  it('refuses an --ignore class that does not exist, suggesting the near one', async () => {
    const run = await runCli(['whoami', '--ignore', 'acess-denied']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^cs-aws: --ignore acess-denied: no such error class \(did you mean access-denied\?\)/,
    );
  });

  it('starts every usage error with "cs-aws: "', async () => {
    for (const args of [
      ['whoami', '--tolerance', '-1'],
      ['whoami', '--timeout', '30'],
      ['whoami', '--max-attempts', '0'],
      ['whoami', '--bogus'],
      ['targets', '--regions', ','],
      ['call', 'ec2', 'DescribeRegions', '--', 'x'],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^cs-aws: /);
    }
  });

  it('gives a skipped target the hint that the summary gives', async () => {
    const run = await runCli(['whoami', '--output', 'json', '-q', '--regions', 'us-east-1']);
    const skipped = json(run.stdout).results.find((r) => r.status === 'skipped')!;
    expect(skipped.error).toMatchObject({
      class: 'account-not-active',
      hint: 'the account is suspended or closed: it is never called',
    });
  });
});

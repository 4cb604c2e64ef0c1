import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/parseCommandLine';
import { configText, ENV, fixture } from './fixture';
import { removeScratchDirs, runCli, scratchDir } from './helpers';

let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws(fixture());
  dir = scratchDir({ 'cs-aws.yaml': configText(aws.url) });
});

afterAll(async () => {
  await aws.close();
  removeScratchDirs();
});

/** The targets of a report: `[status, first line of the details]`, in page order. */
const cellsOf = (html: string): [string, string][] =>
  [...html.matchAll(/data-status="(\w+)"[^>]*><div class="d">([^\n]*)\n/g)].map((m) => [
    m[1]!,
    m[2]!,
  ]);

describe('--report on the command line', () => {
  it('is read with --report-values', () => {
    expect(parseCommandLine(['whoami', '--report', 'run.html', '--report-values'])).toMatchObject({
      report: 'run.html',
      reportValues: true,
    });
    expect(parseCommandLine(['whoami'])).toMatchObject({ report: undefined, reportValues: false });
  });

  it('is refused where it does not apply, and --report-values without it', () => {
    expect(() => parseCommandLine(['targets', '--report', 'x.html'])).toThrow(
      '--report applies to the whoami, call, exec and runs commands only',
    );
    expect(() => parseCommandLine(['whoami', '--report-values'])).toThrow(
      '--report-values needs --report FILE.html',
    );
    expect(() => parseCommandLine(['whoami', '--report', ' '])).toThrow(
      '--report needs a file name',
    );
  });
});

describe.concurrent('cs-aws ... --report FILE.html', () => {
  it('whoami writes the report with one cell per target and the same statuses as the JSON output', async () => {
    const run = await runCli(['whoami', '--output', 'json', '--report', 'run.html'], {
      cwd: dir,
      env: ENV,
    });
    expect(run.code).toBe(1); // eu-west-1 of 222222222222 is not enabled
    const { results } = JSON.parse(run.stdout);
    expect(run.stderr).toContain(`cs-aws: wrote the report of the run to ${join(dir, 'run.html')}`);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    const cells = cellsOf(html);
    expect(cells).toHaveLength(results.length);
    const expected = results
      .map((r: Record<string, string>) => [r.status, `${r.alias} ${r.accountId} · ${r.region}`])
      .sort();
    expect([...cells].sort()).toEqual(expected);
    expect(html).toContain('<code>cs-aws whoami</code>');
    expect(html).toContain('<code>cs-aws.yaml</code>');
  });

  it('call --paginate records the rate-limit waits of each account-region', async () => {
    // Pages at a limit of one per 500 ms on the operation: each page after the first waits.
    const config = configText(aws.url).replaceAll(
      'RateLimit: { max_count: 20, interval: 1, block: True }',
      `RateLimit: { max_count: 20, interval: 1, block: True }
     RateLimitOperationSpec: { 'ec2:DescribeInstances': { max_count: 1, interval: 0.5, block: True } }`,
    );
    const here = scratchDir({ 'cs-aws.yaml': config });
    const run = await runCli(
      [
        'call',
        'ec2',
        'DescribeInstances',
        '--paginate',
        '--input',
        '{"MaxResults": 5}',
        '--report',
        'call.html',
        '--quiet',
      ],
      { cwd: here, env: ENV },
    );
    expect(run.code, run.stderr).toBe(1);
    const html = readFileSync(join(here, 'call.html'), 'utf8');
    expect(html).toContain(
      '<code>cs-aws call ec2 DescribeInstances --input {MaxResults} --paginate</code>',
    );
    // test-member/us-east-1 has 12 instances: 3 pages of 5 (more requests if the SDK retried),
    // the second and third waited for the 1-per-500-ms slot.
    const row = html.match(
      /<td>test-member\/us-east-1<\/td><td class="num">(\d+)<\/td><td class="num">(\d+) ms<\/td><td class="num">(\d+)<\/td>/,
    );
    expect(row, 'the row of test-member/us-east-1 in the table of waits').not.toBeNull();
    const [requests, waitedMs, waits] = row!.slice(1).map(Number);
    expect(requests).toBeGreaterThanOrEqual(3);
    expect(waits).toBeGreaterThanOrEqual(2);
    expect(waitedMs).toBeGreaterThanOrEqual(200); // 500 ms each, less what the calls took
    expect(html).toMatch(/\d+ requests; \d+ waited \d+ ms in all for rate-limit slots/);
    // Output larger than a small value is left out without --report-values.
    expect(html).not.toContain('InstanceId');
  });

  it('--report-values includes the outputs, with secrets redacted', async () => {
    const run = await runCli(
      [
        'call',
        'sts',
        'AssumeRole',
        '--input',
        '{"RoleArn": "arn:aws:iam::222222222222:role/Reader", "RoleSessionName": "report"}',
        '--report',
        'values.html',
        '--report-values',
        '--quiet',
      ],
      { cwd: dir, env: ENV },
    );
    expect(run.code, run.stderr).toBe(1);
    const html = readFileSync(join(dir, 'values.html'), 'utf8');
    expect(html).toContain('AssumedRoleUser');
    expect(html).toContain('"Credentials":"[redacted]"');
    expect(html).not.toContain('SECRETFIXTURE');
    expect(html).not.toMatch(/ASIA[A-Z0-9]{12,}/);
  });

  it('refuses a report in a directory that does not exist, before running anything', async () => {
    const run = await runCli(['whoami', '--report', 'missing/run.html'], { cwd: dir, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `cs-aws: --report missing/run.html: the directory ${join(dir, 'missing')} does not exist`,
    );
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

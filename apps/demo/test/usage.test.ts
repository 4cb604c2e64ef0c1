import { afterAll, describe, expect, it } from 'vitest';
import { SERVED_OPERATIONS } from '@cs/aws-local';
import { removeScratchDirs, runCli } from './helpers';

afterAll(removeScratchDirs);

describe('cs-aws usage', () => {
  it('prints the usage with --help and with no arguments, status 0', async () => {
    const [help, bare] = await Promise.all([runCli(['--help']), runCli([])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('cs-aws call <service> <Operation>');
    expect(help.stdout).toContain('--concurrency N');
    expect(bare.stdout).toBe(help.stdout);
  });

  it("lists what the embedded endpoint serves, from @cs/aws-local's own table", async () => {
    const help = await runCli(['--help']);
    for (const [service, operations] of Object.entries(SERVED_OPERATIONS)) {
      expect(help.stdout).toContain(`  ${service.padEnd(15)}${operations.join(', ')}\n`);
    }
  });

  it('says once, in one line, that the embedded endpoint does not serve an operation', async () => {
    const run = await runCli(['call', 'iam', 'ListGroups', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^cs-aws: the embedded local AWS endpoint does not serve iam:ListGroups; it serves sts \(GetCallerIdentity, .*\)\. Give --config FILE to call AWS$/,
    );
    expect(run.stderr.match(/does not serve/g)).toHaveLength(1);
  });

  it('prints the version with --version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cs-aws \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [['bogus'], 'unknown command "bogus"'],
    [['targets', '--bogus'], "Unknown option '--bogus'"],
    [['call', 'ec2'], 'call needs a service and an operation'],
    [['call', 'EC2!', 'DescribeInstances'], 'is not an SDK service id'],
    [['call', 'ec2', 'DescribeInstances', '--input', '{nope'], '--input must be a JSON object'],
    [['call', 'ec2', 'DescribeInstances', '--input', '[1]'], '--input must be a JSON object'],
    [
      ['targets', '--concurrency', '0'],
      '--concurrency must be a whole number from 1 to 1000, not "0"',
    ],
    [['targets', '--output', 'xml'], '--output must be table, json, ndjson or csv, not "xml"'],
    [['targets', '--tolerance', '1.5'], '--tolerance must be a count'],
    [['targets', '--input', '{}'], '--input and --paginate apply to the call command only'],
    [['targets', 'extra'], 'unexpected argument "extra"'],
    [['whoami', '--quiet', '--verbose'], '--quiet and --verbose cannot be used together'],
    [['tour', '--config', 'x.yaml'], 'tour always runs on the embedded endpoint'],
  ])('refuses %j with status 2 and says why', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run cs-aws --help for the usage.');
  });
});

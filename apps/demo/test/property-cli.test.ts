/**
 * Property tests (issue 9) on the `cs-aws` command line: random arguments and random configuration
 * files. Whatever it is given, the command parses or throws a UsageError, and `main` ends with
 * status 0, 1 or 2 and a message that starts with `cs-aws: ` — never an unexpected error with a
 * stack trace, never a secret of the environment in its output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isUsageError, main, parseCommandLine } from '../src/index';
import { removeScratchDirs, scratchDir } from './helpers';

afterAll(removeScratchDirs);

const SECRET = 'SECRETFIXTURE-demo-property-0001';
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAFIXTUREDEMOPROP01',
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_SESSION_TOKEN: `${SECRET}-token`,
};

const word = fc.oneof(
  fc.constantFrom(
    'targets',
    'whoami',
    'call',
    'help',
    'version',
    'ec2',
    'DescribeInstances',
    'describe_instances',
    '--config',
    '-c',
    '--app',
    '-a',
    '--concurrency',
    '-n',
    '--output',
    '-o',
    'table',
    'json',
    'ndjson',
    'xml',
    '--input',
    '-i',
    '{"MaxResults":5}',
    '{bad json',
    '--paginate',
    '--tolerance',
    '0.5',
    '-1',
    '1e9',
    'NaN',
    '--ignore',
    'throttled',
    '--fail-fast',
    '--quiet',
    '--verbose',
    '--help',
    '--version',
    '--',
    '-',
    '',
  ),
  fc.string({ maxLength: 12 }),
);
// (No secret among the arguments: the command may echo what the user typed, as `unknown command`.)
const argv = fc.array(word, { maxLength: 8 });

/** A context whose streams collect what the command writes. */
const capture = (cwd: string) => {
  let stdout = '';
  let stderr = '';
  return {
    context: {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: ENV,
      cwd,
    },
    out: () => ({ stdout, stderr }),
  };
};

const expectCleanEnd = (code: number, stdout: string, stderr: string) => {
  expect([0, 1, 2]).toContain(code);
  expect(stderr).not.toMatch(/unexpected error|\n\s+at /);
  if (code === 2) expect(stderr).toMatch(/^cs-aws: \S/);
  for (const secret of [SECRET, ENV.AWS_SESSION_TOKEN]) {
    expect(stdout).not.toContain(secret);
    expect(stderr).not.toContain(secret);
  }
};

describe('bad input to cs-aws (fast-check)', () => {
  it('parseCommandLine(random arguments): a command line or a UsageError that says what is wrong', () => {
    fc.assert(
      fc.property(argv, (args) => {
        try {
          const command = parseCommandLine(args);
          expect(typeof command.command).toBe('string');
        } catch (error) {
          expect(isUsageError(error)).toBe(true);
          const message = (error as Error).message;
          expect(message.length).toBeGreaterThan(10);
          expect(message).not.toMatch(/undefined|\[object Object\]/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('main(random arguments) with a missing configuration file: status 0 or 2, a clear message, no stack, no secret', async () => {
    const cwd = scratchDir();
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const { context, out } = capture(cwd);
        // Never the embedded endpoint: every command that gets as far as loading is pointed at a
        // file that does not exist.
        const code = await main([...args, '--config', 'missing.yaml'], context);
        const { stdout, stderr } = out();
        expectCleanEnd(code, stdout, stderr);
        expect(code).not.toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('main with a random configuration file: status 2 with the file named, or a run; no stack, no secret', async () => {
    const cwd = scratchDir();
    const file = join(cwd, 'random.yaml');
    const line = fc.oneof(
      fc.constantFrom(
        'SessionParameters: &p',
        ` aws_access_key_id: {{AWS_ACCESS_KEY_ID}}`,
        ` aws_secret_access_key: {{AWS_SECRET_ACCESS_KEY}}`,
        ` aws_secret_access_key: ${SECRET}`,
        ' EndpointUrl: http://127.0.0.1:9',
        ` EndpointUrl: https://user:${SECRET}@proxy.example.com`,
        ' EndpointUrl: ftp://proxy.example.com',
        'RateLimit: { max_count: -1, interval: 1 }',
        'App:',
        ' RegionalAccountSet:',
        '  - RegionalAccounts:',
        '     Account: { SessionParameters: *p }',
        '     Filter: { Partitions: { aws: { Regions: { include: [mars-north-1] } } } }',
        '     Filter: { Partitions: { aws: { Regions: { include: [eu-west-1] } } } }',
        '{{ UNDEFINED_VARIABLE }}',
        '*nowhere',
        '  : :',
        '- [',
      ),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), async (lines) => {
        writeFileSync(file, lines.join('\n'));
        const { context, out } = capture(cwd);
        const code = await main(['targets', '--config', 'random.yaml', '-o', 'json'], context);
        const { stdout, stderr } = out();
        expectCleanEnd(code, stdout, stderr);
        if (code === 2) expect(stderr).toMatch(/random\.yaml|--app|App|configuration/);
      }),
      { numRuns: 150 },
    );
  });
});

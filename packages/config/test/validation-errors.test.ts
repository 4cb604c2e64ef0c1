import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, isConfigError, parseConfig } from '../src/index';
import { configErrorOf } from './helpers';

const problemsOf = (text: string, env: Record<string, string> = {}) =>
  configErrorOf(() => parseConfig(text, { env, source: 'app.yaml' })).problems;

describe('validation errors', () => {
  it('name the file, the path through lists and aliases, the line and what was expected', () => {
    const text = [
      'RateLimit: &limit', //           1
      '  max_count: lots', //            2
      'YourApp:', //                     3
      '  RegionalAccountSet:', //        4
      '    - RegionalAccounts:', //      5
      '        Account: {}', //          6
      '    - RegionalAccounts:', //      7
      '        Account: {}', //          8
      '        RateLimit: *limit', //    9
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      {
        file: 'app.yaml',
        path: 'RateLimit.max_count',
        line: 2,
        message: 'expected an integer, got a string',
      },
      {
        file: 'app.yaml',
        path: 'YourApp.RegionalAccountSet[1].RegionalAccounts.RateLimit.max_count',
        line: 2,
        message: 'expected an integer, got a string',
      },
    ]);
  });

  it('a key that came through a merge key is placed at the line of the anchored mapping', () => {
    const text = [
      'Base: &base', //                1
      '  max_count: many', //          2
      'RateLimit:', //                 3
      '  <<: *base', //                4
      '  interval: soon', //           5
    ].join('\r\n');
    expect(problemsOf(text).map((p) => [p.path, p.line])).toEqual([
      ['RateLimit.max_count', 2],
      ['RateLimit.interval', 5],
    ]);
  });

  it('an unknown key close to a known one says "did you mean"', () => {
    expect(problemsOf('RateLimit:\n  maxcount: 1\n  intervall: 2\n')).toEqual([
      {
        file: 'app.yaml',
        path: 'RateLimit.maxcount',
        line: 2,
        message: "unknown key 'maxcount'; did you mean 'max_count'?",
      },
      {
        file: 'app.yaml',
        path: 'RateLimit.intervall',
        line: 3,
        message: "unknown key 'intervall'; did you mean 'interval'?",
      },
    ]);
  });

  it('an unknown key far from every known one lists the known keys', () => {
    expect(problemsOf('Filter:\n  Whatever: 1\n')[0]?.message).toBe(
      "unknown key 'Whatever'; expected one of: Partitions, Discover",
    );
  });

  it('a missing required key is named at the line of its mapping', () => {
    expect(problemsOf('Account:\n  AssumeRole:\n    RoleSessionName: x1\n')).toEqual([
      {
        file: 'app.yaml',
        path: 'Account.AssumeRole',
        line: 2,
        message: "missing required key 'RoleArn'",
      },
    ]);
  });

  it('a value out of its set, range, form or length says what was expected', () => {
    const problems = problemsOf(
      [
        'AssumeRole:',
        '  RoleArn: not-an-arn',
        '  DurationSeconds: 60',
        '  sts_method: assume',
        '  Policy: ""',
      ].join('\n'),
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'AssumeRole.RoleArn',
        'expected an IAM role ARN such as arn:aws:iam::123456789012:role/Name',
      ],
      ['AssumeRole.DurationSeconds', 'expected a number >= 900'],
      [
        'AssumeRole.sts_method',
        'expected one of: assume_role, assume_role_with_web_identity, assume_role_with_saml',
      ],
      ['AssumeRole.Policy', 'must not be empty'],
    ]);
  });

  it('an empty value where a mapping or a string is expected says so', () => {
    const problems = problemsOf('Account:\n  SessionParameters:\n    region_name:\n');
    expect(problems.map((p) => p.message)).toEqual(['expected a string, got an empty value']);
  });

  it('both spellings of one setting are refused', () => {
    expect(problemsOf('RateLimit:\n  max_count: 1\n  maxCount: 2\n')).toEqual([
      {
        file: 'app.yaml',
        path: 'RateLimit',
        line: 1,
        message: "give 'max_count' or 'maxCount', not both: they are two spellings of one setting",
      },
    ]);
  });

  it('RegionalAccounts needs exactly one of Account and Organization', () => {
    const problems = problemsOf(
      [
        'YourApp:',
        '  RegionalAccountSet:',
        '    - RegionalAccounts: {}',
        '    - RegionalAccounts:',
        '        Account: {}',
        '        Organization: { Account: {} }',
      ].join('\n'),
    );
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        'YourApp.RegionalAccountSet[0].RegionalAccounts',
        3,
        "missing 'Account' or 'Organization': give one of them",
      ],
      [
        'YourApp.RegionalAccountSet[1].RegionalAccounts',
        4,
        "give only one of 'Account' or 'Organization'",
      ],
    ]);
  });

  it('a key of the wrong form (partition, region, operation) says what form it needs', () => {
    const problems = problemsOf(
      [
        'Filter:',
        '  Partitions:',
        '    amazon: {}',
        'RateLimitRegionSpec:',
        '  useast1: {}',
        'RateLimitOperationSpec:',
        '  "iam ListRoles": {}',
      ].join('\n'),
    );
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        'Filter.Partitions.amazon',
        3,
        "key 'amazon' is not valid: expected a partition id such as aws, aws-cn, aws-us-gov",
      ],
      [
        'RateLimitRegionSpec.useast1',
        5,
        "key 'useast1' is not valid: expected an AWS region name such as us-east-1, or a global pseudo-region such as aws-global",
      ],
      [
        'RateLimitOperationSpec["iam ListRoles"]',
        7,
        "key 'iam ListRoles' is not valid: expected service or service:Operation, such as iam or iam:ListRoles",
      ],
    ]);
  });

  it('every problem is collected into one ConfigError whose message lists them all', () => {
    const error = configErrorOf(() =>
      parseConfig('RateLimit:\n  max_count: -1\n  block: maybe\nFilter:\n  Partitions: []\n', {
        env: {},
        source: 'app.yaml',
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ConfigError');
    expect(error.exitCode).toBe(2);
    expect(error.problems).toHaveLength(3);
    expect(error.message).toBe(
      [
        'invalid configuration app.yaml: 3 problems; fix the file and try again',
        '  app.yaml:2 RateLimit.max_count: expected a number >= 0',
        '  app.yaml:3 RateLimit.block: expected true or false, got a string',
        '  app.yaml:5 Filter.Partitions: expected a mapping or nothing, got a list',
      ].join('\n'),
    );
    expect(Object.isFrozen(error.problems)).toBe(true);
  });

  it('a problem of the whole document has no path; formatProblem prints it', () => {
    expect(formatProblem({ file: 'a.yaml', path: '', message: 'the document is empty' })).toBe(
      'a.yaml: the document is empty',
    );
    expect(formatProblem({ file: 'a.yaml', path: 'X.y', line: 4, message: 'bad' })).toBe(
      'a.yaml:4 X.y: bad',
    );
  });

  it('isConfigError recognises a ConfigError by name too (another copy of the package)', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ConfigError' });
    expect(isConfigError(foreign)).toBe(true);
    expect(isConfigError(new Error('x'))).toBe(false);
    expect(isConfigError('ConfigError')).toBe(false);
  });

  it('no configured value appears in a message: secrets in wrong places are never echoed', () => {
    const secret = 'SECRETFIXTURE-S3cr3t/Value+WithNoSpaces';
    const error = configErrorOf(() =>
      parseConfig(
        [
          'SessionParameters:',
          '  aws_secret_access_key: [{{SECRET}}]',
          '  aws_session_token: {{SECRET}}',
          '  region: {{SECRET}}',
          'AssumeRole:',
          '  RoleArn: {{SECRET}}',
          '  TokenCode: {{SECRET}}',
          'YourApp:',
          '  RateLimitRegionSpec:',
          '    {{SECRET}}: {}',
          `  RateLimit: { ${secret}x: 1 }`,
        ].join('\n'),
        { env: { SECRET: secret }, source: 'app.yaml' },
      ),
    );
    expect(error.problems.length).toBeGreaterThanOrEqual(5);
    expect(error.message).not.toContain(secret);
    expect(error.message).toContain('{{SECRET}}');
  });
});

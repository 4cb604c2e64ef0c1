import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/index';
import { configErrorOf } from './helpers';

const secretOf = (value: string): unknown => {
  const config = parseConfig('SessionParameters:\n  aws_secret_access_key: {{SECRET}}\n', {
    env: { SECRET: value },
  });
  return config.SessionParameters?.aws_secret_access_key;
};

describe('rendering the template before parsing', () => {
  it('renders {{VAR}} and {{ VAR | default(...) }} as the original Jinja configurations write them', () => {
    const config = parseConfig(
      [
        'SessionParameters:',
        '  aws_access_key_id: {{AWS_ACCESS_KEY_ID}}',
        "  region_name: {{ REGION | default('eu-west-1') }}",
        "  profile_name: {{ PROFILE | default('dev') }}",
      ].join('\n'),
      { env: { AWS_ACCESS_KEY_ID: 'AKIA1', PROFILE: 'prod' } },
    );
    expect(config.SessionParameters).toEqual({
      aws_access_key_id: 'AKIA1',
      region_name: 'eu-west-1',
      profile_name: 'prod',
    });
  });

  it('takes the variables from process.env by default', () => {
    vi.stubEnv('CS_CONFIG_TEST_REGION', 'ap-south-1');
    const config = parseConfig('SessionParameters:\n  region: {{CS_CONFIG_TEST_REGION}}\n');
    expect(config.SessionParameters?.region).toBe('ap-south-1');
  });

  it('a missing variable is an error naming it and its line, never an empty string', () => {
    const error = configErrorOf(() =>
      parseConfig('A: 1\nSessionParameters:\n  aws_access_key_id: {{ NOT_SET_KEY }}\n', {
        env: {},
        source: 'app.yaml',
      }),
    );
    expect(error.problems).toEqual([
      {
        file: 'app.yaml',
        path: '',
        line: 3,
        message: expect.stringContaining('the variable NOT_SET_KEY is not defined') as string,
      },
    ]);
    expect(error.message).toContain('app.yaml:3: the variable NOT_SET_KEY is not defined');
  });

  it('every missing variable is reported at once, each with its line', () => {
    const error = configErrorOf(() =>
      parseConfig("a: {{ ONE }}\nb: {{ TWO | default('x') }}\nc: {{THREE}}\nd: {{ONE}}\n", {
        env: {},
      }),
    );
    expect(error.problems.map((p) => [p.line, /variable (\w+)/.exec(p.message)?.[1]])).toEqual([
      [1, 'ONE'],
      [3, 'THREE'],
    ]);
  });

  it('a missing variable joined inside an expression is an error too, not the text undefined', () => {
    const error = configErrorOf(() =>
      parseConfig(
        "a: 1\nAssumeRole:\n  RoleArn: {{ 'arn:aws:iam::' ~ ACCOUNT_ID ~ ':role/x' }}\n",
        {
          env: {},
        },
      ),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('the variable ACCOUNT_ID is not defined') as string,
      }),
    ]);
    // A variable that a default or a test consumes is not missing.
    expect(
      parseConfig("{% if NOPE %}a: 1{% endif %}\nb: {{ NOPE | default('undefined') }}\n", {
        env: {},
      }),
    ).toEqual({ b: 'undefined' });
  });

  it('a template syntax error is a ConfigError with its line', () => {
    const error = configErrorOf(() => parseConfig('a: 1\nb: {{ foo( }}\n', { env: {} }));
    expect(error.problems[0]).toMatchObject({ line: 2, path: '' });
    expect(error.problems[0]?.message).toMatch(/^template: /);
  });

  it.each([
    ['a colon and a hash', 'abc: def #ghi'],
    ['a leading alias star', '*notanalias'],
    ['a leading anchor', '&anchor value'],
    ['a leading tag', '!!int 12'],
    ['a leading dash', '- item'],
    ['a flow mapping', '{a: 1}'],
    ['a flow sequence', '[1, 2]'],
    ['double quotes', 'say "hi"'],
    ['single quotes', "it's"],
    ['a block indicator', '|literal'],
    ['a directive', '%YAML 1.2'],
    ['surrounding spaces', '  padded  '],
    ['a YAML null', 'null'],
    ['a YAML tilde', '~'],
    ['a YAML boolean spelling', 'True'],
    ['a hexadecimal number', '0x1F'],
    ['an exponent', '1e5'],
    ['leading zeros', '007'],
    ['a long number', '123456789012345678901234567890'],
    ['a backslash', 'a\\b\\n'],
    ['braces like a template', '{{ NOT_A_VAR }}'],
  ])('a value with %s stays the intended string', (_what, value) => {
    expect(secretOf(value)).toBe(value);
  });

  it('a value inside a quoted or a longer scalar is substituted as text', () => {
    const config = parseConfig(
      [
        'AssumeRole:',
        '  RoleArn: arn:aws:iam::{{ACCOUNT}}:role/{{ROLE}}',
        '  RoleSessionName: "s-{{NAME}}"',
        "  ExternalId: 'x-{{EXTERNAL}}'",
      ].join('\n'),
      { env: { ACCOUNT: '012345678901', ROLE: 'Admin', NAME: 'a.b', EXTERNAL: 'a:b' } },
    );
    expect(config.AssumeRole).toEqual({
      RoleArn: 'arn:aws:iam::012345678901:role/Admin',
      RoleSessionName: 's-a.b',
      ExternalId: 'x-a:b',
    });
  });

  it('a number or a boolean from the environment gets the type the schema expects', () => {
    const config = parseConfig(
      'RateLimit:\n  max_count: {{MAX}}\n  interval: {{INTERVAL}}\n  block: {{BLOCK}}\n',
      { env: { MAX: '10', INTERVAL: '0.5', BLOCK: 'True' } },
    );
    expect(config.RateLimit).toEqual({ max_count: 10, interval: 0.5, block: true });
  });

  it('an account id from the environment stays the same text where a string is expected', () => {
    const config = parseConfig(
      'Organization:\n  Account: {}\n  exclude: [{{ACCOUNT}}]\n  ExternalId: {{EXTERNAL}}\n',
      { env: { ACCOUNT: '012345678901', EXTERNAL: '123456' } },
    );
    expect(config.Organization?.exclude).toEqual(['012345678901']);
    expect(config.Organization?.ExternalId).toBe('123456');
  });

  it('in an application section, a variable that is exactly a number reads as that number', () => {
    const config = parseConfig('YourApp:\n  port: {{PORT}}\n  id: {{ID}}\n', {
      env: { PORT: '8080', ID: '0012' },
    });
    expect(config.YourApp).toEqual({ port: 8080, id: '0012' });
  });

  it('a templated key is substituted; in problems it shows as its variable, at its line', () => {
    const error = configErrorOf(() =>
      parseConfig('RateLimitRegionSpec:\n  {{REGION}}:\n    max_count: -1\n', {
        env: { REGION: 'eu-west-3' },
      }),
    );
    expect(
      parseConfig('RateLimitRegionSpec:\n  {{REGION}}: {}\n', { env: { REGION: 'eu-west-3' } }),
    ).toEqual({ RateLimitRegionSpec: { 'eu-west-3': {} } });
    expect(error.problems).toEqual([
      expect.objectContaining({
        path: 'RateLimitRegionSpec.{{REGION}}.max_count',
        line: 3,
      }),
    ]);
  });
});

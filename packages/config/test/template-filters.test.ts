import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index';
import { configErrorOf } from './helpers';

// Filters, comparisons and tests must give Jinja's results on the variables' real values. The
// expected results below are what Jinja 3.1 renders for each template with each environment
// (jinja2.Environment().from_string(template).render(**env)); each one differed, or was refused,
// when filters saw a placeholder token instead of the value.
const JINJA_RESULTS: readonly (readonly [string, Record<string, string>, string])[] = [
  ['{{ X | lower }}', { X: 'Prod' }, 'prod'],
  ['{{ X | upper }}', { X: 'Prod-eu' }, 'PROD-EU'],
  ['{{ X | capitalize }}', { X: 'hELLO world' }, 'Hello world'],
  [
    '{{ X | title }}',
    { X: "hello-world foo(bar) [baz] o'neil" },
    "Hello-World Foo(Bar) [Baz] O'neil",
  ],
  ['{{ X | trim }}', { X: '  a b \t\n' }, 'a b'],
  ["{{ X | trim('x') }}", { X: 'xxaxbxx' }, 'axb'],
  ["{{ X | replace('-', '_') }}", { X: 'a-b-c' }, 'a_b_c'],
  ["{{ X | replace('-', '_', 1) }}", { X: 'a-b-c' }, 'a_b-c'],
  ["{{ X | replace('', '.') }}", { X: 'abc' }, '.a.b.c.'],
  ["{{ X | replace('', '.', 2) }}", { X: 'abc' }, '.a.bc'],
  ["{{ X | replace('b', 'BB', count=5) }}", { X: 'abbb' }, 'aBBBBBB'],
  ['{{ X | length }}', { X: 'Prod' }, '4'],
  ['{{ X | length }}', { X: 'hé😀' }, '3'],
  ['{{ X | count }}', { X: 'abc' }, '3'],
  ['{{ X | int }}', { X: '42' }, '42'],
  ['{{ X | int }}', { X: '42.7' }, '42'],
  ['{{ X | int }}', { X: '-3.9' }, '-3'],
  ['{{ X | int }}', { X: 'abc' }, '0'],
  ['{{ X | int(7) }}', { X: 'abc' }, '7'],
  ['{{ X | int(base=16) }}', { X: 'ff' }, '255'],
  ['{{ X | int(base=16) }}', { X: '0xff' }, '255'],
  ['{{ X | int }}', { X: ' 1_000 ' }, '1000'],
  ['{{ X | int }}', { X: '012345678901234567890' }, '12345678901234567890'],
  ['{{ X | int }}', { X: '1e3' }, '1000'],
  ['{{ X | float }}', { X: '3' }, '3.0'],
  ['{{ X | float }}', { X: '0.1' }, '0.1'],
  ['{{ X | float }}', { X: '1e16' }, '1e+16'],
  ['{{ X | float }}', { X: '1e-5' }, '1e-05'],
  ['{{ X | float }}', { X: '123456789.125' }, '123456789.125'],
  ['{{ X | float }}', { X: 'x' }, '0.0'],
  ['{{ X | float }}', { X: '-inf' }, '-inf'],
  ['{{ X | string }}', { X: 'a' }, 'a'],
  ['{{ X | first }}', { X: 'abc' }, 'a'],
  ['{{ X | last }}', { X: 'abc' }, 'c'],
  ['{{ X | reverse }}', { X: 'abc' }, 'cba'],
  ['{{ X | urlencode }}', { X: 'p@ss w/rd:é&?' }, 'p%40ss%20w/rd%3A%C3%A9%26%3F'],
  ["{{ X | default('d') }}", { X: 'v' }, 'v'],
  ["{{ Y | default('d') }}", {}, 'd'],
  ["{{ X | default('d', true) }}", { X: '' }, 'd'],
  ["{{ X | default('d') }}", { X: '' }, ''],
  ['{{ Y | d(5) }}', {}, '5'],
  ["{{ X == 'Prod' }}", { X: 'Prod' }, 'True'],
  ["{{ X | lower == 'prod' }}", { X: 'Prod' }, 'True'],
  ['{{ X | int > 5 }}', { X: '10' }, 'True'],
  ["{{ X > 'b' }}", { X: 'abc' }, 'False'],
  ['{{ 1 < X | int < 3 }}', { X: '2' }, 'True'],
  ['{{ X | int == 2.0 }}', { X: '2' }, 'True'],
  ["{{ 'a' in X }}", { X: 'cat' }, 'True'],
  ["{{ X not in ['a', 'b'] }}", { X: 'c' }, 'True'],
  ['{{ X is defined }}', { X: 'c' }, 'True'],
  ['{{ Y is defined }}', {}, 'False'],
  ['{{ Y is not defined }}', {}, 'True'],
  ['{{ X is string }}', { X: 'c' }, 'True'],
  ['{{ X | int is number }}', { X: '1' }, 'True'],
  ['{{ X is lower }}', { X: 'abc' }, 'True'],
  ['{{ X is upper }}', { X: '123' }, 'False'],
  ["{{ 'yes' if X else 'no' }}", { X: '' }, 'no'],
  ["{{ 'yes' if X else 'no' }}", { X: '0' }, 'yes'],
  ['{{ not X }}', { X: '' }, 'True'],
  ["{{ X and 'b' }}", { X: 'a' }, 'b'],
  ["{{ Y or 'b' }}", {}, 'b'],
  [
    "{{ 'arn:aws:iam::' ~ X ~ ':role/x' }}",
    { X: '012345678901' },
    'arn:aws:iam::012345678901:role/x',
  ],
  ["{{ X | int ~ '' }}", { X: '007' }, '7'],
  ["{{ 'a\\tb\\n' | length }}", {}, '4'],
  ["{{ X | lower | replace('o', '0') | upper | length }}", { X: 'FooBoo' }, '6'],
  ['{{ -3 | string }}', {}, '-3'],
];

/** The value a one-expression template gives under `YourApp.v`, as text. */
function rendered(template: string, env: Record<string, string>): string {
  const config = parseConfig(`YourApp:\n  v: ${template}\n`, { env }) as {
    YourApp: { v: unknown };
  };
  return String(config.YourApp.v);
}

describe("filters, comparisons and tests give Jinja's results on the real values", () => {
  it.each(JINJA_RESULTS)('%s', (template, env, expected) => {
    expect(rendered(template, env)).toBe(expected);
  });

  it('"Prod" | lower gives "prod", and an if on the lowered value takes its branch', () => {
    const text = [
      "{% if ENV_NAME | lower == 'prod' %}",
      'RateLimit: { max_count: {{ LIMIT | int * 1 if false else LIMIT | int }}, interval: 1 }',
      '{% else %}',
      'RateLimit: { max_count: 1, interval: 1 }',
      '{% endif %}',
      'YourApp: { env: {{ ENV_NAME | lower }}, n: {{ ENV_NAME | length }} }',
    ].join('\n');
    expect(() => parseConfig(text, { env: { ENV_NAME: 'Prod', LIMIT: '7' } })).toThrow(
      /arithmetic/,
    );
    const config = parseConfig(text.replace('LIMIT | int * 1 if false else ', ''), {
      env: { ENV_NAME: 'Prod', LIMIT: '7' },
    });
    expect(config.RateLimit).toEqual({ max_count: 7, interval: 1 });
    expect(config.YourApp).toEqual({ env: 'prod', n: 4 });
  });

  it('if, elif and else choose on values; set gives a literal; raw and comments are text', () => {
    const text = [
      "{% set region = 'eu-west-1' %}",
      '{# a comment #}',
      "{% if STAGE == 'prod' %}",
      'YourApp: { stage: production, region: {{ region }} }',
      '{% elif STAGE is defined and STAGE | int(-1) >= 0 %}',
      'YourApp: { stage: numbered, raw: "{% raw %}{{ X }}{% endraw %}" }',
      '{% else %}',
      'YourApp: { stage: {{ STAGE | default("none") | upper }} }',
      '{% endif %}',
    ].join('\n');
    expect(parseConfig(text, { env: { STAGE: 'prod' } }).YourApp).toEqual({
      stage: 'production',
      region: 'eu-west-1',
    });
    expect(parseConfig(text, { env: { STAGE: '3' } }).YourApp).toEqual({
      stage: 'numbered',
      raw: '{{ X }}',
    });
    expect(parseConfig(text, { env: { STAGE: 'qa' } }).YourApp).toEqual({ stage: 'QA' });
    expect(
      parseConfig(text.replace("STAGE == 'prod'", "STAGE is defined and STAGE == 'prod'"), {
        env: {},
      }).YourApp,
    ).toEqual({ stage: 'NONE' });
    // Compared while missing: an error naming it (Jinja would silently say False).
    expect(configErrorOf(() => parseConfig(text, { env: {} })).problems).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('the variable STAGE is not defined') as string,
      }),
    ]);
  });

  it('a comparison of text with a number is an error naming the line, not a silent False', () => {
    const error = configErrorOf(() =>
      parseConfig('a: 1\nb: {{ PORT > 1024 }}\n', { env: { PORT: '8080' } }),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/cannot compare text with an integer/) as string,
      }),
    ]);
  });

  it('a filter on a missing variable is the missing variable, not an empty string', () => {
    const error = configErrorOf(() =>
      parseConfig("a: {{ NOPE | lower }}\nb: {{ NOPE2 | replace('a', 'b') ~ 'x' }}\n", {
        env: {},
      }),
    );
    expect(error.problems.map((p) => [p.line, /variable (\w+)/.exec(p.message)?.[1]])).toEqual([
      [1, 'NOPE'],
      [2, 'NOPE2'],
    ]);
  });
});

describe('a value never changes the YAML structure, whatever the filter', () => {
  const secret = 'SECRETFIXTURE-Structure: a #b\n- c: [d]\n  e: *f';

  it.each([
    ['{{ S }}', secret],
    ['{{ S | trim }}', secret.trim()],
    ['{{ S | lower }}', secret.toLowerCase()],
    ["{{ S | replace('a', ': ') }}", secret.split('a').join(': ')],
    ["{{ 'x: ' ~ S ~ ' #y' }}", `x: ${secret} #y`],
    ['{{ S | default("z") | upper }}', secret.toUpperCase()],
  ])('%s stays one string', (template, expected) => {
    const config = parseConfig(`SessionParameters:\n  aws_secret_access_key: ${template}\n`, {
      env: { S: secret },
    });
    expect(config.SessionParameters).toEqual({ aws_secret_access_key: expected });
  });

  it('a filtered secret in a key shows as its expression in problems, never as its value', () => {
    const error = configErrorOf(() =>
      parseConfig('RateLimitRegionSpec:\n  {{ S | upper }}:\n    max_count: -1\n', {
        env: { S: 'SECRETFIXTURE-key-region' },
      }),
    );
    expect(error.message).not.toMatch(/SECRETFIXTURE/i);
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [2, 'RateLimitRegionSpec["{{S | upper}}"]'],
      [3, 'RateLimitRegionSpec["{{S | upper}}"].max_count'],
    ]);
  });

  it('an error of a filter or a comparison on a secret names kinds, never the value', () => {
    for (const template of [
      '{{ S > 1 }}',
      "{{ S | replace(1, 2, 'x') }}",
      '{{ S | length > S }}',
      '{{ S in 3 }}',
    ]) {
      const error = configErrorOf(() =>
        parseConfig(`a: ${template}\n`, { env: { S: 'SECRETFIXTURE-filtered-value' } }),
      );
      expect(error.problems[0]?.line).toBe(1);
      expect(error.message).not.toContain('SECRETFIXTURE');
    }
  });
});

describe('whitespace control and long runs', () => {
  it('{%- and -%} strip every space around them, also runs of 200,000', () => {
    const spaces = ' '.repeat(200_000);
    const text = `a: x${spaces}\n{%- if true %}\nb: y${spaces}\n{%- endif -%}${spaces}\nc: z\n`;
    // Jinja: the text before {%- and after -%} loses its whitespace, newlines included.
    expect(() => parseConfig(text, { env: {} })).toThrow(/invalid YAML/);
    expect(parseConfig(text.replace('-%}', '%}'), { env: {} })).toEqual({ a: 'x', b: 'y', c: 'z' });
  });

  it('an output whose expression is a long literal is named by its first 200 characters', () => {
    const error = configErrorOf(() =>
      parseConfig(`RateLimitRegionSpec:\n  {{ '${'r '.repeat(100_000)}' }}: 1\n`, { env: {} }),
    );
    expect(error.problems[0]?.path.length).toBeLessThan(260);
  });
});

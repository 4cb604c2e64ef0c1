import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/index';
import { configErrorOf } from './helpers';

// Known server-side template injection payloads for nunjucks and Jinja (PayloadsAllTheThings,
// HackTricks, the nunjucks sandbox-escape reports): constructor chains through globals and
// values, prototype keys, Python's dunder chains, tags that load or define code, and filters
// that mark output safe or reach attributes. A configuration file is data: each must be refused
// with a ConfigError at its line, run nothing, and read no variable outside `env`.
const MARK = 'globalThis.__csConfigInjected = true';
const PAYLOADS: readonly string[] = [
  `{{ range.constructor("${MARK}")() }}`,
  `{{ cycler.constructor("${MARK}")() }}`,
  `{{ joiner.constructor("${MARK}")() }}`,
  `{{ lipsum.constructor("${MARK}")() }}`,
  `{{ "".constructor.constructor("${MARK}")() }}`,
  `{{ X.constructor.constructor("${MARK}")() }}`,
  `{{ (X).constructor }}`,
  `{{ X["constructor"]["constructor"]("${MARK}")() }}`,
  `{{ X['__proto__'] }}`,
  `{{ X.__proto__.polluted }}`,
  `{{ X | attr('constructor') }}`,
  `{{ X | safe }}`,
  `{{ X | dump }}`,
  `{{ X | join }}`,
  `{{ X | map('upper') | list }}`,
  `{{ X | selectattr('constructor') }}`,
  `{{ X | format(1) }}`,
  `{{ X | default(range.constructor("${MARK}")()) }}`,
  `{{ X | replace(X.constructor, 'a') }}`,
  `{{ 'a' if range.constructor("${MARK}")() else 'b' }}`,
  `{{ range(10) }}`,
  `{{ lipsum() }}`,
  `{{ dict(a=1) }}`,
  `{{ namespace(a=1) }}`,
  `{{ self.__init__.__globals__ }}`,
  `{{ ''.__class__.__mro__[1].__subclasses__() }}`,
  `{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}`,
  `{{ request.application.__globals__.__builtins__.__import__('os') }}`,
  `{{ {'a': 1} }}`,
  `{{ 9 ** 999999 }}`,
  `{{ 'a' * 100000000 }}`,
  `{{ X + 1 }}`,
  `{{ -X }}`,
  `{{ X is divisibleby(3) }}`,
  `{{ X is callable }}`,
  `{% include "/etc/passwd" %}`,
  `{% import "macros.njk" as m %}`,
  `{% from "macros.njk" import m %}`,
  `{% extends "base.njk" %}`,
  `{% macro m() %}{{ range.constructor("${MARK}")() }}{% endmacro %}{{ m() }}`,
  `{% call range() %}x{% endcall %}`,
  `{% for x in range(3) %}{{ x }}{% endfor %}`,
  `{% set x = range %}{{ x }}`,
  `{% set x = X %}{{ x }}`,
  `{% set x = X | upper %}{{ x }}`,
  `{% set x %}{{ X }}{% endset %}{{ x }}`,
  `{% set a, b = 1, 2 %}`,
  `{% filter upper %}x{% endfilter %}`,
  `{% block b %}x{% endblock %}`,
  `{% asyncEach x in range(3) %}{% endeach %}`,
  `{% do range.constructor("${MARK}")() %}`,
  `{% with x = range %}{% endwith %}`,
  `{% autoescape false %}x{% endautoescape %}`,
  `{{ X | default(X | attr('length')) }}`,
  `{{ [X][0] }}`,
  `{{ X[0:1] }}`,
  `{{ X.length }}`,
  `{{ (X, X) }}`,
];

afterEach(() => {
  vi.unstubAllEnvs();
  delete (globalThis as { __csConfigInjected?: unknown }).__csConfigInjected;
});

describe('a configuration template is data: known injection payloads are refused', () => {
  it.each(PAYLOADS)('%s', (payload) => {
    vi.stubEnv('CS_CONFIG_NOT_IN_ENV', 'SECRETFIXTURE-process-env-only');
    const error = configErrorOf(() =>
      parseConfig(`YourApp:\n  a: 1\n  b: ${payload}\n`, {
        env: { X: 'SECRETFIXTURE-value-of-x' },
        source: 'app.yaml',
      }),
    );
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem).toMatchObject({ file: 'app.yaml', path: '', line: 3 });
    }
    expect(error.message).not.toContain('SECRETFIXTURE');
    expect((globalThis as { __csConfigInjected?: unknown }).__csConfigInjected).toBeUndefined();
  });

  it('a refusal says what is not allowed and what a template may use', () => {
    const error = configErrorOf(() =>
      parseConfig('a: 1\nb: {{ range.constructor("return 1")() }}\n', { env: {} }),
    );
    expect(error.problems).toEqual([
      {
        file: '<config>',
        path: '',
        line: 2,
        message: expect.stringMatching(
          /^template: attribute access \(\.\) is not allowed: a configuration template reaches only the variables of env, literals, the filters default, lower/,
        ) as string,
      },
    ]);
  });

  it('every refused construct is reported at once, each at its line', () => {
    const error = configErrorOf(() =>
      parseConfig('a: {{ X.y }}\nb: {% include "x" %}\nc: {{ X | safe }}\nd: {{ MISSING }}\n', {
        env: { X: 'x' },
      }),
    );
    expect(error.problems.map((p) => p.line)).toEqual([1, 2, 3]);
  });

  it('names that are globals or prototype keys elsewhere are variables like any other', () => {
    for (const name of [
      'range',
      'cycler',
      'joiner',
      'lipsum',
      'constructor',
      '__proto__',
      'toString',
    ]) {
      const error = configErrorOf(() => parseConfig(`a: {{ ${name} }}\n`, { env: {} }));
      expect(error.problems).toEqual([
        expect.objectContaining({
          line: 1,
          message: expect.stringContaining(`the variable ${name} is not defined`) as string,
        }),
      ]);
    }
    expect(parseConfig('a: {{ constructor }}\n', { env: { constructor: 'c' } })).toEqual({
      a: 'c',
    });
  });

  it('a variable of process.env that is not in env cannot be read', () => {
    vi.stubEnv('CS_CONFIG_NOT_IN_ENV', 'from-process-env');
    const error = configErrorOf(() => parseConfig('a: {{ CS_CONFIG_NOT_IN_ENV }}\n', { env: {} }));
    expect(error.problems[0]?.message).toContain(
      'the variable CS_CONFIG_NOT_IN_ENV is not defined',
    );
  });

  it('nesting is bounded: deep parentheses and if blocks are refused, not a stack overflow', () => {
    const deep = `a: {{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}\n`;
    expect(configErrorOf(() => parseConfig(deep, { env: {} })).problems[0]?.message).toMatch(
      /nests more than 64 levels/,
    );
    const nots = `a: {{ ${'not '.repeat(5000)}1 }}\n`;
    expect(configErrorOf(() => parseConfig(nots, { env: {} })).problems[0]?.message).toMatch(
      /nests more than 64 levels/,
    );
    const ifs = `${'{% if true %}'.repeat(5000)}a: 1${'{% endif %}'.repeat(5000)}\n`;
    expect(configErrorOf(() => parseConfig(ifs, { env: {} })).problems[0]?.message).toMatch(
      /nest more than 64 levels/,
    );
  });

  it('a filter cannot make a text past the size limit', () => {
    const error = configErrorOf(() =>
      parseConfig("a: {{ X | replace('', X) | replace('', X) | replace('', X) }}\n", {
        env: { X: 'x'.repeat(1000) },
      }),
    );
    expect(error.problems[0]?.message).toMatch(
      /more than 4194304 characters \(the limit maxBytes\)/,
    );
  });
});

it("the text of a file cannot name a token, the loader's stand-in for a value", () => {
  const error = configErrorOf(() =>
    parseConfig('a: {{ S }}\nb: \uE0000\uE001\n', { env: { S: 'SECRETFIXTURE-token-value' } }),
  );
  expect(error.problems).toEqual([
    expect.objectContaining({
      line: 2,
      message: expect.stringContaining('U+E000 is reserved by the loader') as string,
    }),
  ]);
});

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index';
import { configErrorOf, recordingLogger } from './helpers';

describe('parsing YAML', () => {
  it('anchors, aliases and merge keys work, and an alias is the anchored value', () => {
    const config = parseConfig(
      [
        'RateLimit: &limit',
        '  max_count: 10',
        '  interval: 1',
        'Base: &base',
        '  Account: {}',
        '  RateLimit: *limit',
        'YourApp:',
        '  RegionalAccounts:',
        '    <<: *base',
        '    RateLimit:',
        '      <<: *limit',
        '      block: true',
      ].join('\n'),
      { env: {} },
    );
    expect(config.YourApp).toEqual({
      RegionalAccounts: { Account: {}, RateLimit: { max_count: 10, interval: 1, block: true } },
    });
    expect((config.Base as { RateLimit: unknown }).RateLimit).toBe(config.RateLimit);
  });

  it('a key given twice: the last one wins, with a warning naming both lines', () => {
    const { warnings, logger } = recordingLogger();
    const config = parseConfig(
      'RateLimit: &a\n  max_count: 1\nRateLimit: &b\n  max_count: 2\nYourApp:\n  first: *a\n',
      { env: {}, source: 'app.yaml', logger },
    );
    expect(config.RateLimit).toEqual({ max_count: 2 });
    expect(config.YourApp).toEqual({ first: { max_count: 1 } });
    expect(warnings).toEqual([
      "app.yaml:3 the key 'RateLimit' is repeated (first at line 1): the last one wins",
    ]);
  });

  it('True and False are booleans; yes/no/on/off too where the schema expects a boolean', () => {
    const config = parseConfig(
      [
        'RateLimit:',
        '  block: True',
        'Filter:',
        '  Discover: FALSE',
        '  Partitions:',
        '    aws:',
        '      IncludeNonRegional: yes',
        'YourApp:',
        '  flag: True',
        '  word: yes',
      ].join('\n'),
      { env: {} },
    );
    expect(config.RateLimit?.block).toBe(true);
    expect(config.Filter?.Discover).toBe(false);
    expect(config.Filter?.Partitions?.aws?.IncludeNonRegional).toBe(true);
    expect(config.YourApp).toEqual({ flag: true, word: 'yes' });
  });

  it('a key that looks like a misspelt section name is left alone, with a warning', () => {
    const { warnings, logger } = recordingLogger();
    const config = parseConfig('YourApp:\n  RegionalAcounts:\n    anything: 1\n', {
      env: {},
      source: 'app.yaml',
      logger,
    });
    expect(config.YourApp).toEqual({ RegionalAcounts: { anything: 1 } });
    expect(warnings).toEqual([
      "app.yaml:2 YourApp.RegionalAcounts: 'RegionalAcounts' is not a section name, so it is not validated; did you mean 'RegionalAccounts'?",
    ]);
  });

  it('invalid YAML is a ConfigError with the line', () => {
    const error = configErrorOf(() =>
      parseConfig('a:\n  b: 1\n c: 2\n', { env: {}, source: 'bad.yaml' }),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: 'bad.yaml', path: '', line: 3 });
    expect(error.problems[0]?.message).toMatch(/^invalid YAML: /);
  });

  it('an undefined anchor is a ConfigError naming it, with its line', () => {
    const error = configErrorOf(() =>
      parseConfig('Account: {}\nYourApp:\n  Account: *nowhere\n', { env: {}, source: 'a.yaml' }),
    );
    expect(error.problems).toEqual([
      { file: 'a.yaml', path: '', line: 3, message: 'invalid YAML: unidentified alias "nowhere"' },
    ]);
  });

  it.each([
    ['an empty text', ''],
    ['only comments', '# nothing here\n'],
    ['a null document', '~\n'],
  ])('%s is an empty document, a ConfigError', (_what, text) => {
    const error = configErrorOf(() => parseConfig(text, { env: {}, source: 'e.yaml' }));
    expect(error.problems).toEqual([
      expect.objectContaining({
        file: 'e.yaml',
        message: expect.stringMatching(/document is empty/),
      }),
    ]);
  });

  it('a document that is not a mapping is a ConfigError', () => {
    const error = configErrorOf(() => parseConfig('- a\n- b\n', { env: {} }));
    expect(error.problems[0]?.message).toBe(
      'expected a mapping of sections at the top level, got a list',
    );
  });

  it('two documents in one file are a ConfigError', () => {
    const error = configErrorOf(() => parseConfig('a: 1\n---\nb: 2\n', { env: {} }));
    expect(error.problems[0]?.message).toMatch(/invalid YAML: .*single document/);
  });

  it('a key __proto__ is data, not a prototype', () => {
    const config = parseConfig('YourApp:\n  __proto__:\n    polluted: true\n', { env: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(config.YourApp as object)).toEqual(['__proto__']);
  });
});

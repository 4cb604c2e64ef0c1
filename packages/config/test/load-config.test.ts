import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getSection, loadConfig, parseConfig } from '../src/index';
import { configErrorOf, rejectedConfigError } from './helpers';

describe('loadConfig', () => {
  it('reads, renders, parses and validates a file; problems name the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-config-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(file, 'RateLimit:\n  max_count: {{MAX}}\n');
    await expect(loadConfig(file, { env: { MAX: '3' } })).resolves.toEqual({
      RateLimit: { max_count: 3 },
    });
    writeFileSync(file, 'RateLimit:\n  max_count: x\n');
    const error = await rejectedConfigError(loadConfig(file, { env: {} }));
    expect(error.problems).toEqual([
      {
        file,
        path: 'RateLimit.max_count',
        line: 2,
        message: 'expected an integer, got a string',
      },
    ]);
  });

  it('a missing file is a ConfigError saying so', async () => {
    const error = await rejectedConfigError(loadConfig('/nonexistent/cs-aws.yaml', { env: {} }));
    expect(error.problems).toEqual([
      { file: '/nonexistent/cs-aws.yaml', path: '', message: 'the file does not exist' },
    ]);
    expect((error.cause as { code?: string }).code).toBe('ENOENT');
  });

  it('a directory is a ConfigError saying so', async () => {
    const error = await rejectedConfigError(loadConfig(tmpdir(), { env: {} }));
    expect(error.problems[0]?.message).toBe('this is a directory, not a file');
  });

  it('reads through the readFile seam, bytes or text, without a byte-order mark', async () => {
    const files: Record<string, string | Uint8Array> = {
      'a.yaml': '\uFEFFRateLimit: { block: true }\n',
      'b.yaml': new TextEncoder().encode('RateLimit: { block: false }\n'),
    };
    const readFile = async (file: string) => files[file] ?? '';
    await expect(loadConfig('a.yaml', { readFile, env: {} })).resolves.toEqual({
      RateLimit: { block: true },
    });
    await expect(loadConfig('b.yaml', { readFile, env: {} })).resolves.toEqual({
      RateLimit: { block: false },
    });
  });

  it('an unreadable file for another reason keeps the reason', async () => {
    const readFile = async () => {
      throw Object.assign(new Error('device not ready'), { code: 'EIO' });
    };
    const error = await rejectedConfigError(loadConfig('x.yaml', { readFile, env: {} }));
    expect(error.problems[0]?.message).toBe('the file cannot be read (device not ready)');
  });
});

describe('getSection', () => {
  const config = parseConfig(
    'YourApp:\n  RegionalAccountSet:\n    - RegionalAccounts: { Account: {} }\n  "a.b": 1\n',
    { env: {} },
  );

  it('reads a section by the path problems print, typed when a section is named', () => {
    const set = getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet');
    expect(set[0]?.RegionalAccounts.Account).toEqual({});
    expect(getSection(config, 'YourApp.RegionalAccountSet[0].RegionalAccounts')).toEqual({
      Account: {},
    });
    expect(getSection(config, 'YourApp["a.b"]')).toBe(1);
  });

  it('a missing path is a ConfigError naming what is there', () => {
    const error = configErrorOf(() => getSection(config, 'YourApp.RegionalAccounts'));
    expect(error.problems[0]).toEqual({
      file: '<config>',
      path: 'YourApp.RegionalAccounts',
      message: 'nothing at this path: no "RegionalAccounts"; YourApp has: RegionalAccountSet, a.b',
    });
    expect(configErrorOf(() => getSection(config, 'YourApp..x')).problems[0]?.message).toMatch(
      /^not a path/,
    );
  });

  it('a value that is not the named section is a ConfigError at its path', () => {
    const error = configErrorOf(() =>
      getSection(config, 'YourApp.RegionalAccountSet[0]', 'RegionalAccountSet'),
    );
    expect(error.problems[0]).toMatchObject({
      path: 'YourApp.RegionalAccountSet[0]',
      message: 'expected a list, got a mapping',
    });
  });
});

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_LIMITS, loadConfig, parseConfig } from '../src/index';
import { configErrorOf, rejectedConfigError } from './helpers';

/** A YAML alias bomb: `levels` anchors, each a list of nine aliases of the one before. */
export function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i += 1) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  }
  return `YourApp:\n  ${lines.join('\n  ')}\nRegionalAccountSet: [*a${levels - 1}]\n`;
}

describe('an alias bomb is refused without being expanded', () => {
  it('nine levels of anchors (under 1 KB) are refused with a ConfigError naming maxNodes', () => {
    const text = aliasBomb(9);
    expect(text.length).toBeLessThan(1024);
    const error = configErrorOf(() => parseConfig(text, { env: {}, source: 'bomb.yaml' }));
    expect(error.problems).toEqual([
      {
        file: 'bomb.yaml',
        path: '',
        message: expect.stringContaining(
          'more than 1000000 nodes once its aliases are expanded (the limit maxNodes)',
        ) as string,
      },
    ]);
  });

  it('aliases within the limit are accepted; the limit is an option', () => {
    // Five levels: 9^5 = 59,049 scalars in the expanded document.
    const text = aliasBomb(5).replace('RegionalAccountSet: [*a4]\n', 'Other: [*a4]\n');
    expect(parseConfig(text, { env: {} })).toHaveProperty('Other');
    const error = configErrorOf(() => parseConfig(text, { env: {}, limits: { maxNodes: 50_000 } }));
    expect(error.problems[0]?.message).toContain('more than 50000 nodes');
  });

  it('an alias inside the node it names (an endless document) is refused', () => {
    for (const text of ['a: &a\n  b: *a\n', 'a: &a [1, *a]\n', 'RateLimit: &r\n  x: *r\n']) {
      expect(configErrorOf(() => parseConfig(text, { env: {} })).problems[0]?.message).toMatch(
        /an alias names a node that contains it/,
      );
    }
  });
});

describe('every missing variable in one pass', () => {
  it('150 missing variables in a large file are all reported, each at its line', () => {
    const lines: string[] = ['YourApp:'];
    for (let i = 0; i < 150; i += 1) {
      lines.push(
        `  k${i}: {{ MISSING_${i} }}`,
        ...Array.from({ length: 20 }, (_, j) => `  f${i}_${j}: filler`),
      );
    }
    const error = configErrorOf(() => parseConfig(lines.join('\n'), { env: {} }));
    expect(error.problems).toHaveLength(150);
    expect(error.problems.map((p) => [p.line, /variable (\w+)/.exec(p.message)?.[1]])).toEqual(
      Array.from({ length: 150 }, (_, i) => [2 + i * 21, `MISSING_${i}`]),
    );
  });

  it('a ConfigError lists at most 1000 problems, and says how many more there were', () => {
    const text = `RateLimitRegionSpec:\n${Array.from({ length: 1500 }, (_, i) => `  r${i}: {}`).join('\n')}\n`;
    const error = configErrorOf(() => parseConfig(text, { env: {} }));
    expect(error.problems).toHaveLength(1001);
    expect(error.problems[1000]?.message).toBe(
      'and 500 more problems, not listed: fix these first',
    );
  });
});

describe('the size of a configuration is bounded', () => {
  it('parseConfig refuses a text past maxBytes (4 MiB by default), in bytes of UTF-8', () => {
    expect(DEFAULT_CONFIG_LIMITS).toEqual({ maxBytes: 4 * 1024 * 1024, maxNodes: 1_000_000 });
    const big = `a: ${'x'.repeat(DEFAULT_CONFIG_LIMITS.maxBytes)}\n`;
    expect(configErrorOf(() => parseConfig(big, { env: {}, source: 'big.yaml' })).problems).toEqual(
      [
        {
          file: 'big.yaml',
          path: '',
          message: expect.stringMatching(
            /^the configuration is larger than 4194304 bytes \(the limit maxBytes\)/,
          ) as string,
        },
      ],
    );
    // 40 characters, 80 bytes of UTF-8.
    const text = `a: ${'é'.repeat(40)}`;
    expect(parseConfig(text, { env: {}, limits: { maxBytes: 83 } })).toEqual({ a: 'é'.repeat(40) });
    expect(() => parseConfig(text, { env: {}, limits: { maxBytes: 82 } })).toThrow(
      /larger than 82 bytes/,
    );
  });

  it('loadConfig refuses a file past maxBytes, and reads no more than the limit of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-config-size-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `a: ${'x'.repeat(2000)}\n`);
    const error = await rejectedConfigError(
      loadConfig(file, { env: {}, limits: { maxBytes: 1000 } }),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        file,
        message: expect.stringContaining('larger than 1000 bytes') as string,
      }),
    ]);
    await expect(loadConfig(file, { env: {}, limits: { maxBytes: 3000 } })).resolves.toHaveProperty(
      'a',
    );
    const seam = await rejectedConfigError(
      loadConfig('x.yaml', {
        env: {},
        limits: { maxBytes: 10 },
        readFile: () => Promise.resolve(new Uint8Array(11)),
      }),
    );
    expect(seam.problems[0]?.message).toContain('larger than 10 bytes');
  });

  it.runIf(existsSync('/dev/zero'))(
    'a device that never ends is refused at the limit',
    async () => {
      const error = await rejectedConfigError(
        loadConfig('/dev/zero', { env: {}, limits: { maxBytes: 4096 } }),
      );
      expect(error.problems[0]?.message).toContain('larger than 4096 bytes');
    },
  );

  it('a limit that is not a positive integer is a RangeError', () => {
    expect(() => parseConfig('a: 1', { limits: { maxBytes: 0 } })).toThrow(RangeError);
    expect(() => parseConfig('a: 1', { limits: { maxNodes: Number.NaN } })).toThrow(
      'limits.maxNodes must be a positive integer',
    );
  });
});

describe('bytes that are not UTF-8 are refused with the file, line and column', () => {
  const load = (bytes: readonly number[]): Promise<unknown> =>
    loadConfig('app.yaml', { env: {}, readFile: () => Promise.resolve(Uint8Array.from(bytes)) });
  const ascii = (text: string): number[] => [...Buffer.from(text, 'utf8')];

  it.each([
    ['a lone continuation byte', [0x80], 4],
    ['a Latin-1 é', [0xe9], 4],
    ['an 0xFF', [0xff], 4],
    ['an overlong slash', [0xc0, 0xaf], 4],
    ['an encoded UTF-16 surrogate', [0xed, 0xa0, 0x80], 4],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 4],
  ])('%s', async (_what, bad, column) => {
    const bytes = [...ascii('a: 1\nb: x\nc: é'), ...ascii('\nd: '), ...bad, ...ascii('yz\n')];
    const error = await rejectedConfigError(load(bytes));
    expect(error.problems).toEqual([
      {
        file: 'app.yaml',
        path: '',
        line: 4,
        message: expect.stringMatching(
          new RegExp(`^column ${column} \\(byte \\d+\\): bytes that are not UTF-8`),
        ) as string,
      },
    ]);
  });

  it('a sequence cut at the end of the file, and a column counted in characters', async () => {
    const error = await rejectedConfigError(load([...ascii('a: é😀'), 0xe2, 0x82]));
    expect(error.problems[0]).toMatchObject({ line: 1 });
    expect(error.problems[0]?.message).toMatch(/^column 6 \(byte 9\)/);
  });

  it('a UTF-16 file is refused, saying so', async () => {
    const error = await rejectedConfigError(load([0xff, 0xfe, ...ascii('a')]));
    expect(error.problems[0]).toMatchObject({ line: 1 });
    expect(error.problems[0]?.message).toContain('(it looks like UTF-16)');
  });

  it('valid UTF-8 (with a BOM, accents, emoji) is read unchanged', async () => {
    await expect(load([0xef, 0xbb, 0xbf, ...ascii('a: "é😀 ñ"\n')])).resolves.toEqual({
      a: 'é😀 ñ',
    });
  });

  it('a file on disk with bytes that are not UTF-8 is refused, not read with U+FFFD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-config-utf8-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(file, Buffer.from([...ascii('a: x'), 0xff, ...ascii('\n')]));
    const error = await rejectedConfigError(loadConfig(file, { env: {} }));
    expect(error.problems).toEqual([expect.objectContaining({ file, line: 1 })]);
  });

  it('parseConfig refuses a text with a lone surrogate, with its line and column', () => {
    const error = configErrorOf(() => parseConfig('a: 1\nb: x\uD800y\n', { env: {} }));
    expect(error.problems).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/^column 5: a lone UTF-16 surrogate/) as string,
      }),
    ]);
  });
});

describe('lines are those of the template', () => {
  it('after an if that removes lines, a YAML problem is at its line in the file', () => {
    const text = '{% if false %}\nA: 1\nB: 2\n{% endif %}\nRateLimit:\n  max_count: x\n';
    const error = configErrorOf(() => parseConfig(text, { env: {} }));
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'RateLimit.max_count', line: 6 }),
    ]);
  });
});

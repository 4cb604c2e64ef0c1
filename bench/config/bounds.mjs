// @cs/config: how fast hostile or careless configurations are refused or handled (issue 14):
//   an alias bomb of nine levels (under 1 KB; 9^9 scalars expanded), refused past maxNodes;
//   a 2 MB file with 100 undefined variables, every one reported in one pass (and the same file
//   with the variables set, and js-yaml alone on it, side by side);
//   a 20 MB file, refused past maxBytes (loadConfig reads no more than the limit);
//   a 2 MB file with bytes that are not UTF-8 at its end, refused with line and column;
//   a 3.8 MB file of 3,800 keys of 1,000 characters (the "did you mean" of each key compared it
//   with every section name letter by letter: 19.7 s before it skipped keys of another length).
// Run: node bench/config/bounds.mjs (after building the packages). Prints a markdown table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isConfigError, loadConfig, parseConfig } from '@cs/config';

/** The median time of `runs` calls, after one warm-up call. */
async function median(fn, runs) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Runs fn, expects a ConfigError, returns its problems. */
async function problemsOf(fn) {
  try {
    await fn();
  } catch (error) {
    if (isConfigError(error)) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

// The alias bomb.
const bombLines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
for (let i = 1; i < 9; i += 1) {
  bombLines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
}
const bomb = `YourApp:\n  ${bombLines.join('\n  ')}\nRegionalAccountSet: [*a8]\n`;

// A 2 MB file with 100 variables, in an application section.
const lines = ['YourApp:'];
let size = 0;
let variable = 0;
for (let i = 0; size < 2 * 1024 * 1024; i += 1) {
  const line =
    i % 250 === 0 && variable < 100
      ? `  key_${i}: {{ VARIABLE_${variable++} }}`
      : `  key_${i}: some text of a configuration value, long enough to look real`;
  lines.push(line);
  size += line.length + 1;
}
const large = `${lines.join('\n')}\n`;
const env = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`VARIABLE_${i}`, `v${i}`]));
const substituted = large.replace(/\{\{ (\w+) \}\}/g, (_m, name) => env[name]);

// Long keys, in an application section (near-miss warnings) and in a section (unknown keys).
const longKeys = Array.from({ length: 3800 }, (_, i) => `  ${'k'.repeat(1000)}${i}: 1`).join('\n');
const appKeys = `YourApp:\n${longKeys}\n`;
const sectionKeys = `RateLimit:\n${longKeys}\n`;

const dir = mkdtempSync(join(tmpdir(), 'cs-config-bounds-'));
const hugeFile = join(dir, 'huge.yaml');
writeFileSync(
  hugeFile,
  `YourApp:\n${'  key: some text of a configuration value\n'.repeat(500_000)}`,
);
const badFile = join(dir, 'bad-utf8.yaml');
writeFileSync(
  badFile,
  Buffer.concat([Buffer.from(substituted), Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a])]),
);

const rows = [];
try {
  const bombProblems = await problemsOf(() => parseConfig(bomb, { env: {} }));
  if (!/maxNodes/.test(bombProblems[0]?.message ?? '')) throw new Error('the bomb was not refused');
  rows.push([
    `alias bomb, 9 levels (${bomb.length} bytes): js-yaml.load alone`,
    await median(() => yaml.load(bomb), 20),
  ]);
  rows.push([
    'alias bomb, 9 levels: parseConfig refuses it (maxNodes)',
    await median(() => problemsOf(() => parseConfig(bomb, { env: {} })), 20),
  ]);

  const missing = await problemsOf(() => parseConfig(large, { env: {} }));
  if (missing.length !== 100) throw new Error(`expected 100 problems, got ${missing.length}`);
  const mb = (large.length / 1024 / 1024).toFixed(1);
  rows.push([
    `${mb} MB file, variables set: js-yaml.load alone (substituted text)`,
    await median(() => yaml.load(substituted), 5),
  ]);
  rows.push([
    `${mb} MB file, variables set: parseConfig`,
    await median(() => parseConfig(large, { env }), 5),
  ]);
  rows.push([
    `${mb} MB file, 100 undefined variables: parseConfig reports all 100`,
    await median(() => problemsOf(() => parseConfig(large, { env: {} })), 5),
  ]);

  const hugeProblems = await problemsOf(() => loadConfig(hugeFile, { env: {} }));
  if (!/maxBytes/.test(hugeProblems[0]?.message ?? ''))
    throw new Error('the huge file was not refused');
  rows.push([
    '20 MB file: loadConfig refuses it (maxBytes)',
    await median(() => problemsOf(() => loadConfig(hugeFile, { env: {} })), 10),
  ]);

  const badProblems = await problemsOf(() => loadConfig(badFile, { env: {} }));
  if (badProblems[0]?.line === undefined) throw new Error('no line for the bad bytes');
  rows.push([
    `${mb} MB file, not UTF-8 on its last line: loadConfig refuses it (line ${badProblems[0].line})`,
    await median(() => problemsOf(() => loadConfig(badFile, { env: {} })), 5),
  ]);

  const kmb = (appKeys.length / 1024 / 1024).toFixed(1);
  const logger = { warn() {} };
  rows.push([
    `${kmb} MB of 1,000-character keys in an application section: parseConfig (with a logger)`,
    await median(() => parseConfig(appKeys, { env: {}, logger }), 5),
  ]);
  rows.push([
    `${kmb} MB of 1,000-character keys in a section: parseConfig refuses them`,
    await median(() => problemsOf(() => parseConfig(sectionKeys, { env: {} })), 5),
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('| @cs/config: bounds | ms (median) |');
console.log('| --- | ---: |');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} |`);

// @cs/config: what loading a configuration costs, side by side with what a user would do without
// it. The README configuration of the original (two region groups), with its variables set:
//   js-yaml alone           parse only (no templating, no validation: not a usable loader)
//   nunjucks + js-yaml      render then parse, as the Python original did (values as text)
//   parseConfig             render, parse, line index, coercion, schema validation of every section
//   parseConfig + build     the same, then buildRegionalAccountSet (cached factories, no AWS call)
// plus the first call in a fresh process (loading the modules and compiling the schemas).
// Run: node bench/config/run.mjs (after building the packages). Prints a markdown table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import nunjucks from 'nunjucks';
import { buildRegionalAccountSet, getSection, parseConfig } from '@cs/config';

const text = readFileSync(
  new URL('../../packages/config/test/fixtures/two-region-groups.yaml.tmpl', import.meta.url),
  'utf8',
);
const env = {
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY000001',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENGbPxRfiCY',
  AWS_ASSUME_ROLE: 'arn:aws:iam::123456789012:role/ReadOnly',
};

function measure(fn, minMs = 1500) {
  for (let i = 0; i < 50; i += 1) fn(); // warm up
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    runs += 1;
  }
  return (performance.now() - start) / runs;
}

const plain = text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name) => env[name]);
const nunjucksEnv = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

const rows = [
  ['js-yaml alone (parse only)', measure(() => yaml.load(plain, { json: true }))],
  [
    'nunjucks + js-yaml (the original)',
    measure(() => yaml.load(nunjucksEnv.renderString(text, env), { json: true })),
  ],
  ['parseConfig', measure(() => parseConfig(text, { env }))],
  [
    'parseConfig + buildRegionalAccountSet',
    measure(() =>
      buildRegionalAccountSet(
        getSection(parseConfig(text, { env }), 'YourApp.RegionalAccountSet', 'RegionalAccountSet'),
      ),
    ),
  ],
];

// The first parseConfig in a fresh process: module loading and schema compilation included.
const script = `
const t0 = performance.now();
const { parseConfig } = await import('@cs/config');
const t1 = performance.now();
parseConfig(${JSON.stringify(text)}, { env: ${JSON.stringify(env)} });
const t2 = performance.now();
console.log(JSON.stringify([t1 - t0, t2 - t1]));`;
const cold = [0, 0];
const coldRuns = 3;
for (let i = 0; i < coldRuns; i += 1) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  const [load, first] = JSON.parse(String(out));
  cold[0] += load / coldRuns;
  cold[1] += first / coldRuns;
}

const base = rows[0][1];
console.log('| @cs/config: README configuration 1 | ms per load | vs js-yaml alone |');
console.log('| --- | ---: | ---: |');
for (const [name, ms] of rows)
  console.log(`| ${name} | ${ms.toFixed(3)} | ${(ms / base).toFixed(1)}x |`);
console.log(`| fresh process: import @cs/config | ${cold[0].toFixed(1)} | |`);
console.log(
  `| fresh process: first parseConfig (validators generated at build time) | ${cold[1].toFixed(1)} | |`,
);

#!/usr/bin/env node
// The one test command (README and .ci/run): builds every package (tests run against their
// siblings' dist/, the artifact users receive), runs every vitest project once, and ends with a
// plain `N passed, N failed` line summed from vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  // Vite's notice about its future config loader, printed once per package's project: not ours to act on.
  VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
};
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

// The Redis store's tests need a real redis-server (Debian's package). A fresh machine may lack it:
// install it when we can do so without asking (root or password-less sudo); the tests that need it
// fail with a message saying what to install otherwise.
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
if (!has('redis-server') && has('apt-get')) {
  const sudo = process.getuid?.() === 0 ? [] : has('sudo') ? ['sudo', '-n'] : null;
  if (sudo) {
    console.log('redis-server is missing: installing it with apt-get');
    const apt = (...a) =>
      spawnSync(sudo[0] ?? 'apt-get', sudo.length ? [...sudo.slice(1), 'apt-get', ...a] : a, {
        stdio: 'inherit',
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    apt('update', '-qq');
    apt('install', '-y', '-qq', 'redis-server');
  }
}

// The browser test of the HTML report (apps/demo) needs Debian's Chromium: installed the same way;
// without it that test is skipped with a message saying what to install.
if (!existsSync('/usr/bin/chromium') && !process.env.CS_AWS_CHROMIUM && has('apt-get')) {
  const sudo = process.getuid?.() === 0 ? [] : has('sudo') ? ['sudo', '-n'] : null;
  if (sudo) {
    console.log('chromium is missing: installing it with apt-get');
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]) {
      spawnSync(
        sudo[0] ?? 'apt-get',
        [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args],
        {
          stdio: 'inherit',
          env: aptEnv,
        },
      );
    }
  }
}

mkdirSync(join(root, '.test-results'), { recursive: true });
if (run('turbo', ['run', 'build', '--output-logs=errors-only']) !== 0) {
  writeFileSync(
    join(root, '.test-results', 'summary.json'),
    JSON.stringify({ passed: 0, failed: 1 }),
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const outDir = join(root, '.test-results');
mkdirSync(outDir, { recursive: true });
const report = join(outDir, 'vitest.json');
rmSync(report, { force: true });
const status = run('vitest', [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  // A file that failed before any of its tests ran (an import error, a failing hook) counts once.
  for (const file of r.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) failed += 1;
  }
}
if (status !== 0 && failed === 0) failed = 1;
writeFileSync(join(outDir, 'summary.json'), JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 ? 0 : 1);

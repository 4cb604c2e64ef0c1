#!/usr/bin/env node
// Packaging test: packs every package the way it would be published, installs the tarballs into
// fresh temporary projects with npm (the AWS SDK from npm's cache when it has it), and checks what
// a user gets:
//   (a) @cs/ratelimit alone installs no other package and works from both `import` and `require`;
//   (b) @cs/session + @cs/regional (with account and ratelimit, without @cs/config) work together;
//   (c) the `cs-aws` bin runs from its installed tarball;
//   (d) a project with newer SDK clients of its own (the registry's newest release) installs one
//       copy of @smithy/types and @aws-sdk/core, and the packages work with its clients.
// Run after `pnpm build`. Exits non-zero on the first failed check.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'cs-aws-pack-'));
const packs = join(work, 'tarballs');
const env = {
  ...process.env,
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
};
const sh = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const dirs = ['ratelimit', 'session', 'account', 'regional', 'config', 'aws-local'].map((d) =>
  join(root, 'packages', d),
);
dirs.push(join(root, 'packages', 'report-html'));
dirs.push(join(root, 'packages', 'ratelimit-redis'));
dirs.push(join(root, 'packages', 'fanout-bullmq'));
dirs.push(join(root, 'apps', 'demo'));
for (const dir of dirs) sh('pnpm', ['pack', '--pack-destination', packs], dir);
const tarballs = readdirSync(packs);
const tgz = (name) => {
  const file = tarballs.find((f) =>
    new RegExp(`^${name}-\\d+\\.\\d+\\.\\d+(-[\\w.]+)?\\.tgz$`).test(f),
  );
  if (!file) throw new Error(`no tarball for ${name} in ${packs}: ${tarballs.join(', ')}`);
  return join(packs, file);
};

function project(name, deps) {
  const dir = join(work, name);
  sh('mkdir', ['-p', dir]);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, private: true, version: '0.0.0' }),
  );
  sh('npm', ['install', '--prefer-offline', '--no-package-lock', ...deps], dir);
  return dir;
}

const checks = [];
function check(label, fn) {
  try {
    fn();
    checks.push(`ok   ${label}`);
  } catch (error) {
    checks.push(`FAIL ${label}\n${String(error.stderr ?? '') || error.message}`);
  }
}

// The published manifests depend on the SDK and smithy by range (the lockfile pins what CI tests).
check('the published manifests depend on @aws-sdk/* and @smithy/* by caret range', () => {
  const exact = [];
  for (const file of tarballs) {
    const manifest = JSON.parse(sh('tar', ['-xOzf', join(packs, file), 'package/package.json']));
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (/^@(aws-sdk|smithy)\//.test(name) && !/^\^\d/.test(range)) {
          exact.push(`${manifest.name} ${field}.${name}: ${range}`);
        }
      }
    }
  }
  if (exact.length > 0) throw new Error(`not a caret range: ${exact.join('; ')}`);
});

// (a) the rate limiter alone
check('(a) @cs/ratelimit alone installs nothing else and works from import and require', () => {
  const dir = project('only-ratelimit', [tgz('cs-ratelimit')]);
  const installed = readdirSync(join(dir, 'node_modules')).filter((n) => !n.startsWith('.'));
  const scoped = readdirSync(join(dir, 'node_modules', '@cs'));
  if (installed.join() !== '@cs' || scoped.join() !== 'ratelimit') {
    throw new Error(
      `expected only @cs/ratelimit, found: ${installed.join(', ')} / @cs: ${scoped.join(', ')}`,
    );
  }
  const code = `const l = new RateLimitProperties({ maxCount: 2, interval: '1s' });
if (!l.tryAcquire() || !l.tryAcquire() || l.tryAcquire()) throw new Error('limit not applied');
console.log('limited');`;
  writeFileSync(
    join(dir, 'esm.mjs'),
    `import { RateLimitProperties } from '@cs/ratelimit';\n${code}`,
  );
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `const { RateLimitProperties } = require('@cs/ratelimit');\n${code}`,
  );
  for (const f of ['esm.mjs', 'cjs.cjs']) {
    if (sh('node', [f], dir).trim() !== 'limited') throw new Error(`${f} did not run`);
  }
});

// (b) a custom stack without @cs/config, against the local endpoint
check('(b) @cs/session + @cs/regional work together without @cs/config', () => {
  const dir = project('custom-stack', [
    tgz('cs-ratelimit'),
    tgz('cs-session'),
    tgz('cs-account'),
    tgz('cs-regional'),
    tgz('cs-aws-local'),
    '@aws-sdk/client-sts@3.1169.0',
  ]);
  if (existsSync(join(dir, 'node_modules', '@cs', 'config')))
    throw new Error('@cs/config was installed');
  writeFileSync(
    join(dir, 'stack.mjs'),
    `
import { startLocalAws } from '@cs/aws-local';
import { Session } from '@cs/session';
import { Account } from '@cs/account';
import { RegionalAccount } from '@cs/regional';
import { RateLimitProperties } from '@cs/ratelimit';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const server = await startLocalAws({ accounts: [{ id: '111111111111', users: [{ name: 'u', accessKeys: [{ accessKeyId: 'AKIAPACKTEST0000001', secretAccessKey: 'packtest-secret-not-real' }] }] }] });
try {
  const session = new Session({ accessKeyId: 'AKIAPACKTEST0000001', secretAccessKey: 'packtest-secret-not-real', region: 'us-east-1', EndpointUrl: server.url });
  const ra = new RegionalAccount(new RateLimitProperties({ maxCount: 5, interval: 1000, block: true }), new Account(session), 'us-east-1');
  const out = await ra.send(STSClient, new GetCallerIdentityCommand({}));
  console.log(out.Account);
  session.destroy();
} finally { await server.close(); }
`,
  );
  const out = sh('node', ['stack.mjs'], dir).trim();
  if (out !== '111111111111') throw new Error(`unexpected output: ${out}`);
});

// (c) the cs-aws command
check('(c) the cs-aws bin runs from its installed tarball', () => {
  const dir = project('cli', [
    tgz('cs-ratelimit'),
    tgz('cs-session'),
    tgz('cs-account'),
    tgz('cs-regional'),
    tgz('cs-aws-local'),
    tgz('cs-config'),
    tgz('cs-report-html'),
    tgz('cs-ratelimit-redis'),
    tgz('cs-fanout-bullmq'),
    tgz('cs-aws-demo'),
  ]);
  const version = sh(join(dir, 'node_modules', '.bin', 'cs-aws'), ['--version'], dir).trim();
  if (!/\d+\.\d+\.\d+/.test(version)) throw new Error(`--version printed ${version}`);
  const targets = JSON.parse(
    sh(
      join(dir, 'node_modules', '.bin', 'cs-aws'),
      ['targets', '--output', 'json', '--quiet'],
      dir,
    ),
  );
  if (!JSON.stringify(targets).includes('us-east-1'))
    throw new Error('targets printed no us-east-1 target');
  // whoami loads @aws-sdk/client-sts on demand from the installed tree and calls the embedded endpoint.
  // Exit status 1 is expected: the sample organisation has a region that is not enabled.
  let whoami;
  try {
    whoami = sh(
      join(dir, 'node_modules', '.bin', 'cs-aws'),
      ['whoami', '--output', 'json', '--quiet'],
      dir,
    );
  } catch (error) {
    if (error.status !== 1) throw error;
    whoami = String(error.stdout);
  }
  if (!/arn:aws:sts::\d{12}:assumed-role\//.test(whoami))
    throw new Error(`whoami printed no assumed-role ARN: ${whoami.slice(0, 500)}`);
  // --report loads @cs/report-html on demand from the installed tree.
  try {
    sh(
      join(dir, 'node_modules', '.bin', 'cs-aws'),
      ['whoami', '--quiet', '--report', 'r.html'],
      dir,
    );
  } catch (error) {
    if (error.status !== 1) throw error;
  }
  if (!readFileSync(join(dir, 'r.html'), 'utf8').includes('data-status="succeeded"'))
    throw new Error('whoami --report wrote no report with a succeeded target');
});

// (d) the user's own, newer SDK: one copy of the SDK's core packages, and it works
check(
  "(d) with the project's own newer SDK clients, one @smithy/types and one @aws-sdk/core",
  () => {
    const pinned = JSON.parse(
      readFileSync(
        join(root, 'packages', 'session', 'node_modules', '@aws-sdk', 'client-sts', 'package.json'),
        'utf8',
      ),
    ).version;
    // The newest release on the registry (its metadata fetched afresh, not from npm's cache).
    const newest = sh(
      'npm',
      ['view', '--prefer-online', '@aws-sdk/client-sts', 'version'],
      root,
    ).trim();
    if (newest === pinned) throw new Error(`no SDK release newer than ${pinned} to test with`);
    const dir = project('newer-sdk', [
      tgz('cs-ratelimit'),
      tgz('cs-session'),
      tgz('cs-account'),
      tgz('cs-regional'),
      tgz('cs-aws-local'),
      `@aws-sdk/client-sts@${newest}`,
      `@aws-sdk/client-ec2@${newest}`,
    ]);
    const copies = (name) => {
      const found = [];
      const walk = (modules) => {
        if (!existsSync(modules)) return;
        for (const entry of readdirSync(modules)) {
          const scoped = entry.startsWith('@')
            ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`)
            : [entry];
          for (const pkg of scoped) {
            const at = join(modules, pkg);
            if (pkg === name) found.push(at);
            walk(join(at, 'node_modules'));
          }
        }
      };
      walk(join(dir, 'node_modules'));
      return found;
    };
    for (const name of ['@smithy/types', '@aws-sdk/core', '@aws-sdk/client-sts', '@smithy/core']) {
      const found = copies(name);
      if (found.length !== 1)
        throw new Error(`${found.length} copies of ${name}: ${found.join(', ')}`);
    }
    const installed = JSON.parse(
      readFileSync(join(dir, 'node_modules', '@aws-sdk', 'client-sts', 'package.json'), 'utf8'),
    ).version;
    if (installed !== newest) throw new Error(`@aws-sdk/client-sts ${installed}, not ${newest}`);
    writeFileSync(
      join(dir, 'newer.mjs'),
      `
import { startLocalAws } from '@cs/aws-local';
import { Session } from '@cs/session';
import { Account } from '@cs/account';
import { RegionalAccount } from '@cs/regional';
import { RateLimitProperties } from '@cs/ratelimit';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { EC2Client, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
const server = await startLocalAws({ accounts: [{ id: '222222222222', users: [{ name: 'u', accessKeys: [{ accessKeyId: 'AKIAPACKTEST0000002', secretAccessKey: 'packtest-secret-not-real' }] }] }] });
try {
  const session = new Session({ accessKeyId: 'AKIAPACKTEST0000002', secretAccessKey: 'packtest-secret-not-real', region: 'eu-west-1', EndpointUrl: server.url });
  const ra = new RegionalAccount(new RateLimitProperties({ maxCount: 5, interval: 1000, block: true }), new Account(session), 'eu-west-1');
  const who = await session.client(STSClient).send(new GetCallerIdentityCommand({}));
  const regions = await ra.send(EC2Client, new DescribeRegionsCommand({}));
  console.log(who.Account, await session.accountId(), regions.Regions.length > 0);
  session.destroy();
} finally { await server.close(); }
`,
    );
    const out = sh('node', ['newer.mjs'], dir).trim();
    if (out !== '222222222222 222222222222 true') throw new Error(`unexpected output: ${out}`);
    checks.push(`     (newer SDK: @aws-sdk/client-sts ${newest}; the lockfile pins ${pinned})`);
  },
);

console.log(checks.join('\n'));
rmSync(work, { recursive: true, force: true });
process.exit(checks.some((c) => c.startsWith('FAIL')) ? 1 : 0);

#!/usr/bin/env node
// Release flow check (CONTRIBUTING.md): in a throw-away clone, a changeset for @cs/ratelimit makes
// `changeset version` bump it and its dependents only, with changelogs, and leaves the private
// demo alone; then a dry-run publish of this tree (built) packs every public package and no
// private one.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const sh = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const clone = join(mkdtempSync(join(tmpdir(), 'cs-aws-release-')), 'repo');
const failures = [];
const expect = (ok, message) => ok || failures.push(message);

try {
  sh('git', ['clone', '-q', root, clone]);
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  // The changesets waiting for the next release would bump their own packages: set them aside,
  // so that what is checked is what this one changeset does.
  for (const name of readdirSync(join(clone, '.changeset'))) {
    if (name.endsWith('.md') && name !== 'README.md') rmSync(join(clone, '.changeset', name));
  }
  writeFileSync(
    join(clone, '.changeset', 'release-test.md'),
    '---\n"@cs/ratelimit": minor\n---\n\nA change recorded by the release test.\n',
  );
  const version = (dir) =>
    JSON.parse(readFileSync(join(clone, dir, 'package.json'), 'utf8')).version;
  const before = Object.fromEntries(
    ['packages/ratelimit', 'packages/session', 'packages/regional', 'apps/demo'].map((d) => [
      d,
      version(d),
    ]),
  );
  sh(join(root, 'node_modules', '.bin', 'changeset'), ['version'], clone);
  expect(
    version('packages/ratelimit') !== before['packages/ratelimit'],
    '@cs/ratelimit was not bumped',
  );
  expect(
    version('packages/regional') !== before['packages/regional'],
    '@cs/regional (a dependent) was not bumped',
  );
  expect(
    version('packages/session') === before['packages/session'],
    '@cs/session (unrelated) was bumped',
  );
  expect(version('apps/demo') === before['apps/demo'], 'the private demo was bumped');
  expect(
    existsSync(join(clone, 'packages/ratelimit/CHANGELOG.md')),
    'no CHANGELOG.md for @cs/ratelimit',
  );

  const dry = sh('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'], root);
  for (const name of [
    'ratelimit',
    'ratelimit-redis',
    'session',
    'account',
    'regional',
    'config',
    'aws-local',
  ]) {
    expect(dry.includes(`+ @cs/${name}@`), `dry-run publish did not pack @cs/${name}`);
  }
  expect(
    !/cs-aws-demo|cs-aws-bench/.test(
      dry
        .split('\n')
        .filter((l) => l.startsWith('+'))
        .join('\n'),
    ),
    'a private package would be published',
  );
} finally {
  rmSync(join(clone, '..'), { recursive: true, force: true });
}
if (failures.length) {
  console.error(`release test failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(
  'release test: changeset version bumps the changed package and its dependents; dry-run publish packs every public package',
);

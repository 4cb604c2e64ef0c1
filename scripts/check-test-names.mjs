// Checks that every file and folder in a test folder (packages/*/test, apps/*/test, test/) is named
// in kebab-case: lowercase letters and digits joined by hyphens, with dot-separated suffixes kept
// (`queued-run.test.ts`, `role-chain.mock.test.ts`, `redis-server.ts`, `two-region-groups.yaml.tmpl`).
// Run by `pnpm lint`; prints each misnamed path with the name it should have and exits 1.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const skip = new Set(['node_modules', 'dist', 'coverage', '.turbo']);
const kebab = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;

/** The kebab-case form of a name: `fanOutEngine.test.ts` → `fan-out-engine.test.ts`. */
function kebabCase(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** The test folders: `test/` at the root and in every package and app. */
function testFolders() {
  const folders = [join(root, 'test')];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (entry.isDirectory()) folders.push(join(root, group, entry.name, 'test'));
    }
  }
  return folders;
}

const misnamed = [];
function walk(folder) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    if (skip.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (!kebab.test(entry.name)) misnamed.push([relative(root, path), kebabCase(entry.name)]);
    if (entry.isDirectory()) walk(path);
  }
}
testFolders().forEach(walk);

if (misnamed.length > 0) {
  console.error('Files in test folders are named in kebab-case (see CONTRIBUTING.md); rename:');
  for (const [path, name] of misnamed) console.error(`  ${path} -> ${name}`);
  process.exit(1);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServiceModuleFrom } from '../src/internal/execute';
import { removeScratchDirs, scratchDir } from './helpers';

afterAll(() => removeScratchDirs());

/** A project directory with a package `name` whose module exports `marker`. */
const projectWith = (name: string, marker: string): string => {
  const dir = scratchDir({ 'package.json': '{"name":"user-project","private":true}' });
  const pkg = join(dir, 'node_modules', ...name.split('/'));
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', main: 'index.cjs' }),
  );
  writeFileSync(join(pkg, 'index.cjs'), `exports.marker = ${JSON.stringify(marker)};`);
  return dir;
};

describe('where cs-aws finds a service client', () => {
  it('loads a client installed in the project of the working directory', async () => {
    const dir = projectWith('@aws-sdk/client-userinstalled', 'from the user project');
    const module = await loadServiceModuleFrom(dir)('@aws-sdk/client-userinstalled');
    expect(module.marker).toBe('from the user project');
  });

  it('prefers the project’s copy to the command’s own', async () => {
    const dir = projectWith('@aws-sdk/client-sts', 'the project copy');
    const module = await loadServiceModuleFrom(dir)('@aws-sdk/client-sts');
    expect(module.marker).toBe('the project copy');
  });

  it('falls back to the command’s own packages, and fails for one installed nowhere', async () => {
    const dir = scratchDir();
    const own = await loadServiceModuleFrom(dir)('@aws-sdk/client-sts');
    expect(typeof own.STSClient).toBe('function');
    await expect(loadServiceModuleFrom(dir)('@aws-sdk/client-nowhere')).rejects.toThrow(
      /client-nowhere/,
    );
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { configText, ENV } from './fixture';
import { removeScratchDirs, runCli, scratchDir } from './helpers';

afterAll(removeScratchDirs);

const URL = 'http://127.0.0.1:9'; // never called: every case fails before any call

describe.concurrent('bad configuration', () => {
  it('lists every problem of an invalid file, with file, path and line, and never a secret (status 2)', async () => {
    const text = configText(URL)
      .replace('max_count: 20', 'max_count: lots')
      .replace('RoleSessionName: test', 'RoleSessionNam: test');
    const dir = scratchDir({ 'bad.yaml': text });
    const run = await runCli(['targets', '--config', 'bad.yaml'], { cwd: dir, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/invalid configuration .*bad\.yaml: 2 problems/);
    expect(run.stderr).toMatch(
      /TestApp\.RegionalAccountSet\[0\]\.RegionalAccounts\.RateLimit\.max_count/,
    );
    expect(run.stderr).toContain('RoleSessionNam');
    expect(run.stderr).not.toContain(ENV.AWS_SECRET_ACCESS_KEY);
  });

  it('names a region that does not exist, where the filter names it (status 2)', async () => {
    const text = configText(URL).replace(
      'include: [us-east-1, eu-west-1]',
      'include: [us-east-1, mars-north-1]',
    );
    const dir = scratchDir({ 'cs-aws.yaml': text });
    const run = await runCli(['whoami'], { cwd: dir, env: ENV });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('mars-north-1');
    expect(run.stderr).toContain('TestApp.RegionalAccountSet[0].RegionalAccounts');
  });

  it('names a template variable that is missing (status 2)', async () => {
    const dir = scratchDir({ 'cs-aws.yaml': configText(URL) });
    const run = await runCli(['targets'], {
      cwd: dir,
      env: { AWS_ACCESS_KEY_ID: 'AKIAFIXTURETEST00001' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('says why a --config file cannot be read (status 2)', async () => {
    const run = await runCli(['whoami', '--config', 'missing.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.yaml.*does not exist/);
  });

  it('asks for --app when several keys hold a RegionalAccountSet, and refuses an unknown --app (status 2)', async () => {
    const text = `${configText(URL)}\nOtherApp:\n RegionalAccountSet:\n  - RegionalAccounts:\n     Account:\n      SessionParameters: *creds\n`;
    const dir = scratchDir({ 'cs-aws.yaml': text });
    const [ambiguous, unknown] = await Promise.all([
      runCli(['targets'], { cwd: dir, env: ENV }),
      runCli(['targets', '--app', 'Nope'], { cwd: dir, env: ENV }),
    ]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      'several keys holding a RegionalAccountSet (TestApp, OtherApp): choose one with --app',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--app Nope');
    expect(unknown.stderr).toContain('it has: TestApp, OtherApp');
  });
});

import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, fixture, healthyConfigText } from './fixture';
import { removeScratchDirs, runCli, runCliInTerminal, scratchDir } from './helpers';

let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws(fixture());
  dir = scratchDir({ 'cs-aws.yaml': healthyConfigText(aws.url) });
});

afterAll(async () => {
  await aws.close();
  removeScratchDirs();
});

// Carriage return, erase line (ESC [ 2 K), then the bar.
const ESC = String.fromCharCode(27);
const BAR = new RegExp(
  `\r${ESC}\\[2Kwhoami \\[[█░]+\\] [0-2]/2 done {2}0 failed {2}[\\d.]+/s {2}[\\d.]+s`,
);

describe.concurrent('the progress bar', () => {
  it('is drawn on a terminal, then erased before the results', async () => {
    const run = await runCliInTerminal(['whoami'], { cwd: dir, env: ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(BAR);
    expect(run.stdout).toMatch(/2\/2 done/);
    expect(run.stdout).toContain('2 targets: 2 succeeded, 0 failed, 0 skipped');
  });

  it('is not drawn on a terminal with --quiet', async () => {
    const run = await runCliInTerminal(['whoami', '--quiet'], { cwd: dir, env: ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('done');
    expect(run.stdout).toContain('2 targets: 2 succeeded');
  });

  it('is not drawn when stderr is piped', async () => {
    const run = await runCli(['whoami'], { cwd: dir, env: ENV });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain(ESC);
  });
});

describe('the progress bar before the targets are counted', () => {
  it('never shows 0/0 in any drawing of a run', async () => {
    const run = await runCliInTerminal(['whoami'], { cwd: dir, env: ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\b0\/0\b/);
  });

  it('says it is counting while the total is unknown', async () => {
    const { ProgressBar } = await import('../src/internal/ProgressBar');
    const written: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => written.push(t), columns: 100 }, 'call', {
      now: () => 0,
      setInterval: () => ({}),
      clearInterval: () => undefined,
    });
    bar.start(0);
    expect(bar.render()).toContain('0 done, counting targets');
    expect(bar.render()).not.toContain('0/0');
    bar.update(1, 0, 4);
    expect(bar.render()).toContain('1/4 done');
  });
});

import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configText, ENV, fixture } from './fixture';
import { removeScratchDirs, runCli, scratchDir } from './helpers';

let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws(fixture());
  // The workload calls in eu-west-1 hang for a minute; those in us-east-1 answer at once.
  aws.inject.latency({
    ms: 60_000,
    region: 'eu-west-1',
    service: 'sts',
    operation: 'GetCallerIdentity',
  });
  dir = scratchDir({ 'cs-aws.yaml': configText(aws.url) });
});

afterAll(async () => {
  await aws.close();
  removeScratchDirs();
});

describe('Ctrl-C', () => {
  it('aborts the running calls, prints the results so far and ends with status 130', async () => {
    let sent = false;
    const started = performance.now();
    const run = await runCli(['whoami', '--output', 'ndjson'], {
      cwd: dir,
      env: ENV,
      onSpawn: (child) => {
        let seen = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          // Three targets are done (222222222222 has not enabled eu-west-1: it fails at once);
          // interrupt while 111111111111's call in eu-west-1 hangs.
          if (!sent && (seen.match(/"type":"target"/g) ?? []).length === 3) {
            sent = true;
            child.kill('SIGINT');
          }
        });
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(performance.now() - started).toBeLessThan(45_000); // not the minute of latency
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const targets = lines.filter((l) => l.type === 'target');
    expect(targets.filter((t) => t.region === 'us-east-1').map((t) => t.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    const hanging = targets.find((t) => t.accountId === '111111111111' && t.region === 'eu-west-1');
    expect(hanging).toMatchObject({ status: 'skipped', error: { class: 'aborted' } });
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      stopped: 'aborted',
      succeeded: 2,
      failed: 1,
      skipped: 1,
    });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { removeScratchDirs, runCli } from './helpers';

afterAll(removeScratchDirs);

describe.concurrent('the embedded default', () => {
  it('runs against the embedded local endpoint when no configuration is found, and says so on stderr', async () => {
    const run = await runCli(['targets', '--resolve', '--output', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /no configuration found .* running against the embedded local AWS endpoint at http:\/\/127\.0\.0\.1:\d+/,
    );
    const document = JSON.parse(run.stdout);
    expect(document.command).toBe('targets');
    const accounts = [...new Set(document.results.map((r: { accountId: string }) => r.accountId))];
    // Five member accounts from the sample organisation's Organizations listing.
    expect(accounts).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    // The suspended account is skipped in each of the four regions, never called.
    expect(document.summary).toMatchObject({ total: 20, succeeded: 16, failed: 0, skipped: 4 });
    expect(document.summary.failures).toEqual([
      expect.objectContaining({ class: 'account-not-active', status: 'skipped', count: 4 }),
    ]);
  });

  it('tour (what pnpm demo runs): four steps, the throttled operation paced under the endpoint limit, status 0', async () => {
    const run = await runCli(['tour']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/^\d\/4 {2}cs-aws /gm)).toHaveLength(4);
    expect(run.stdout).toMatch(
      /DescribeInstances requests and throttled 0 of them; acme-prod's 8 pages/,
    );
    expect(run.stdout).toMatch(/Tour done in \d+\.\ds/);
  });
});

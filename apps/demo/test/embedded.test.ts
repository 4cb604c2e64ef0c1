import { afterAll, describe, expect, it } from 'vitest';
import { removeScratchDirs, runCli } from './helpers';

afterAll(removeScratchDirs);

describe('the embedded default', () => {
  it('runs against the embedded local endpoint when no configuration is found, and says so on stderr', async () => {
    const run = await runCli(['targets', '--output', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /no configuration found .* running against the embedded local AWS endpoint at http:\/\/127\.0\.0\.1:\d+/,
    );
    const document = JSON.parse(run.stdout);
    expect(document.command).toBe('targets');
    const accounts = [...new Set(document.results.map((r: { accountId: string }) => r.accountId))];
    expect(accounts).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
    expect(document.summary).toMatchObject({ total: 16, succeeded: 16, failed: 0, skipped: 0 });
  });
});

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

  it('call --paginate with one --input over 20 targets, 4 at a time: every target gets its own instances, as without pagination', async () => {
    type Line = {
      type: string;
      accountId?: string;
      region?: string;
      status?: string;
      errorCode?: string;
      value?: {
        pages?: number;
        output?: { Reservations?: { Instances?: { InstanceId: string }[] }[] };
      } & {
        Reservations?: { Instances?: { InstanceId: string }[] }[];
      };
    };
    const run = async (...extra: string[]): Promise<Map<string, string>> => {
      const done = await runCli([
        'call',
        'ec2',
        'DescribeInstances',
        '-n',
        '4',
        '--output',
        'ndjson',
        ...extra,
      ]);
      const lines = done.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Line);
      const out = new Map<string, string>();
      for (const line of lines.filter((l) => l.type === 'target')) {
        const output = line.value?.output ?? line.value;
        const ids = (output?.Reservations ?? []).flatMap((r) =>
          (r.Instances ?? []).map((i) => i.InstanceId),
        );
        out.set(
          `${line.accountId}/${line.region}`,
          line.status === 'succeeded'
            ? `${ids.length}:${ids.sort().join(',')}`
            : `${line.status} ${line.errorCode}`,
        );
      }
      return out;
    };
    const [paged, whole] = await Promise.all([
      run('--paginate', '--input', '{"MaxResults":5}'),
      run(),
    ]);
    expect(paged.size).toBe(20);
    // The same instances, target by target; the region the sample accounts have not enabled
    // fails alike (AuthFailure), never with another target's page token.
    expect(paged).toEqual(whole);
    expect([...paged.values()].filter((v) => v.includes('InvalidPaginationToken'))).toEqual([]);
    expect([...paged.values()].filter((v) => /^\d+:/.test(v))).toHaveLength(13);
  });
});

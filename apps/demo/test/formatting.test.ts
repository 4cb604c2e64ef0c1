import { describe, expect, it, vi } from 'vitest';
import { formatTable } from '../src/internal/formatTable';
import { ProgressBar } from '../src/internal/ProgressBar';
import type { ProgressClock } from '../src/internal/ProgressBar';
import { wrap } from '../src/internal/reporters';
import { summarize } from '../src/internal/summarize';
import type { TargetResult } from '../src/internal/TargetResult';
import { describeOutput, mergePages } from '../src/internal/workloads';

describe('formatTable', () => {
  const columns = [{ header: 'name' }, { header: 'n', align: 'right' as const, shrink: false }];

  it('pads columns and right-aligns numbers when the table fits', () => {
    expect(
      formatTable(
        columns,
        [
          ['alpha', '1'],
          ['b', '22'],
        ],
        80,
      ),
    ).toEqual(['name    n', '-----  --', 'alpha   1', 'b      22']);
  });

  it('shortens the widest shrinkable column with an ellipsis to fit the width', () => {
    const lines = formatTable(columns, [['a-very-long-account-alias-name', '3']], 20);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines[2]).toBe('a-very-long-acco…  3');
  });
});

describe('wrap', () => {
  it('breaks at spaces, indents every line, never exceeds the width', () => {
    const lines = wrap('one two three four five six seven eight nine ten', 24, '  ');
    expect(lines).toEqual(['  one two three four', '  five six seven eight', '  nine ten']);
    expect(lines.every((l) => l.length <= 24)).toBe(true);
  });
});

describe('summarize', () => {
  const result = (
    accountId: string,
    region: string,
    status: TargetResult['status'],
    cls?: string,
  ): TargetResult => ({
    accountId,
    alias: `alias-${accountId}`,
    region,
    status,
    durationMs: 1,
    ...(cls === undefined
      ? { value: {} }
      : { error: { class: cls, code: 'Code', message: 'm', hint: undefined } }),
  });

  it('counts per account and region and groups failures before skips, with a hint per class', () => {
    const summary = summarize(
      [
        result('2', 'us-east-1', 'succeeded'),
        result('1', 'eu-west-1', 'failed', 'throttled'),
        result('1', 'us-east-1', 'skipped', 'account-not-active'),
        result('2', 'eu-west-1', 'failed', 'throttled'),
      ],
      undefined,
      5,
    );
    expect(summary).toMatchObject({ total: 4, succeeded: 1, failed: 2, skipped: 1 });
    expect(summary.byAccount.map((a) => a.account)).toEqual(['alias-1 (1)', 'alias-2 (2)']);
    expect(summary.byRegion).toEqual([
      { region: 'eu-west-1', succeeded: 0, failed: 2, skipped: 0 },
      { region: 'us-east-1', succeeded: 1, failed: 0, skipped: 1 },
    ]);
    expect(summary.groups.map((g) => [g.status, g.class, g.count, g.targets])).toEqual([
      ['failed', 'throttled', 2, ['alias-1/eu-west-1', 'alias-2/eu-west-1']],
      ['skipped', 'account-not-active', 1, ['alias-1/us-east-1']],
    ]);
    expect(summary.groups[0]?.hint).toContain('lower RateLimit or --concurrency');
  });
});

describe('ProgressBar', () => {
  it('draws done, failed, rate and elapsed on one line, redraws on its timer, erases itself', () => {
    let now = 0;
    let tick: (() => void) | undefined;
    const clock: ProgressClock = {
      now: () => now,
      setInterval: (fn) => {
        tick = fn;
        return {};
      },
      clearInterval: vi.fn(),
    };
    const written: string[] = [];
    const bar = new ProgressBar({ write: (t) => written.push(t), columns: 60 }, 'whoami', clock);
    bar.start(4);
    now = 2000;
    bar.update(2, 1);
    const line = bar.render();
    expect(line).toMatch(/^whoami \[█+░+\] 2\/4 done {2}1 failed {2}1\.0\/s {2}2\.0s$/);
    expect(line.length).toBeLessThan(60);
    now = 3000;
    tick?.();
    // Redrawn in place: carriage return, erase line, the bar with the new rate and time.
    expect(written.at(-1)).toBe(`\r\x1b[2K${line.replace('1.0/s  2.0s', '0.7/s  3.0s')}`);
    bar.stop();
    expect(clock.clearInterval).toHaveBeenCalledOnce();
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('call outputs', () => {
  it('merges pages: lists concatenated, pagination tokens dropped', () => {
    expect(
      mergePages([
        { Reservations: [1, 2], NextToken: 'a' },
        { Reservations: [3], NextToken: 'b' },
      ]),
    ).toEqual({ Reservations: [1, 2, 3] });
  });

  it('describes an answer by list sizes, one level down, and pages', () => {
    const value = {
      pages: 2,
      output: {
        Reservations: [{ Instances: [1, 2], Groups: [] }, { Instances: [3] }],
        Owner: 'me',
      },
    };
    expect(describeOutput(value)).toBe('Reservations: 2 (Instances: 3)  Owner=me  2 pages');
  });
});

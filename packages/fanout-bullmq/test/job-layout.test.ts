import { describe, expect, it } from 'vitest';
import { JobLayout } from '../src/internal/protocol';

/** Targets of entries and members, in the order the producer expands them. */
const targets = (...groups: [entry: number, account: string | undefined, count: number][]) =>
  groups.flatMap(([entry, account, count]) =>
    Array.from({ length: count }, () => ({ entry, ...(account === undefined ? {} : { account }) })),
  );

describe('the jobs of a run', () => {
  it('groups consecutive targets of one entry and member, at most `max` a job', () => {
    const layout = JobLayout.plan(
      targets([0, undefined, 4], [1, '111', 3], [1, '222', 5], [2, undefined, 1]),
      4,
    );
    expect(layout.starts).toEqual([0, 4, 7, 11, 12]);
    expect(layout.planned).toBe(13);
    expect(Array.from({ length: 13 }, (_, i) => layout.jobOf(i))).toEqual([
      0, 0, 0, 0, 4, 4, 4, 7, 7, 7, 7, 11, 12,
    ]);
    // Targets past the planned ones (outcomes known without a job) are their own.
    expect(layout.jobOf(13)).toBe(13);
  });

  it('stores the layout run-length encoded and reads it back the same', () => {
    const layout = JobLayout.plan(
      targets(
        ...Array.from({ length: 500 }, (_, e) => [e, undefined, 4] as [number, undefined, number]),
      ),
      32,
    );
    expect(layout.encode()).toBe('[[4,500]]');
    const read = JobLayout.decode(layout.encode());
    expect(read.starts).toEqual(layout.starts);
    expect(read.planned).toBe(2000);
    expect(read.jobOf(1999)).toBe(1996);
    const mixed = JobLayout.plan(targets([0, undefined, 40], [1, undefined, 2]), 32);
    expect(mixed.encode()).toBe('[[32,1],[8,1],[2,1]]');
    expect(JobLayout.decode(mixed.encode()).starts).toEqual([0, 32, 40]);
  });

  it('gives each target its own job when a run stored no layout', () => {
    const layout = JobLayout.decode(null);
    expect([0, 1, 7].map((i) => layout.jobOf(i))).toEqual([0, 1, 7]);
    expect(layout.encode()).toBe('[]');
  });
});

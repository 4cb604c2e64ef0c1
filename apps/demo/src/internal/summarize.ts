/**
 * The summary of a run: counts per account and per region, failures grouped by class.
 */

import { classHints } from './classHints';
import type { TargetResult, TargetStatus } from './TargetResult';

/** Counts of one account or region. @internal */
export interface StatusCounts {
  succeeded: number;
  failed: number;
  skipped: number;
}

/** One group of failures (or skips) of the same class. @internal */
export interface FailureGroup {
  readonly class: string;
  readonly status: 'failed' | 'skipped';
  readonly count: number;
  /** The error codes seen, sorted. */
  readonly codes: readonly string[];
  readonly hint: string;
  /** `alias/region` of each target, sorted. */
  readonly targets: readonly string[];
}

/** The summary of a run. @internal */
export interface RunSummary extends StatusCounts {
  readonly total: number;
  /** Why the run stopped early, if it did. */
  readonly stopped: 'aborted' | 'fail-fast' | 'tolerance' | undefined;
  readonly durationMs: number;
  /** By account (`alias (id)`), sorted by id. */
  readonly byAccount: readonly ({ readonly account: string } & StatusCounts)[];
  /** By region, sorted. */
  readonly byRegion: readonly ({ readonly region: string } & StatusCounts)[];
  /** Failures, then skips, by class (largest first). */
  readonly groups: readonly FailureGroup[];
}

const counts = (): StatusCounts => ({ succeeded: 0, failed: 0, skipped: 0 });

/** How a target is named in lists: `alias/region`. @internal */
export const targetName = (r: TargetResult): string =>
  `${r.alias ?? r.accountId ?? 'unknown'}${r.region === undefined ? '' : `/${r.region}`}`;

/** How an account is named: `alias (id)`, or the id. @internal */
export const accountName = (r: Pick<TargetResult, 'accountId' | 'alias'>): string =>
  r.alias !== undefined && r.alias !== r.accountId
    ? `${r.alias} (${r.accountId ?? 'unknown'})`
    : (r.accountId ?? 'unknown');

/**
 * Summarises results.
 *
 * @param results - every result of the run
 * @param stopped - why the run stopped early, if it did
 * @param durationMs - how long the run took
 * @internal
 */
export function summarize(
  results: readonly TargetResult[],
  stopped: RunSummary['stopped'],
  durationMs: number,
): RunSummary {
  const total = counts();
  const accounts = new Map<string, { id: string; counts: StatusCounts }>();
  const regions = new Map<string, StatusCounts>();
  const groups = new Map<
    string,
    {
      class: string;
      status: 'failed' | 'skipped';
      codes: Set<string>;
      hint: string;
      targets: string[];
    }
  >();
  const add = (c: StatusCounts, s: TargetStatus): void => {
    c[s] += 1;
  };
  for (const r of results) {
    add(total, r.status);
    const name = accountName(r);
    let account = accounts.get(name);
    if (account === undefined) {
      account = { id: r.accountId ?? '~', counts: counts() };
      accounts.set(name, account);
    }
    add(account.counts, r.status);
    const region = r.region ?? 'none';
    let regionCounts = regions.get(region);
    if (regionCounts === undefined) {
      regionCounts = counts();
      regions.set(region, regionCounts);
    }
    add(regionCounts, r.status);
    if (r.status !== 'succeeded' && r.error !== undefined) {
      const key = `${r.status}:${r.error.class}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          class: r.error.class,
          status: r.status,
          codes: new Set(),
          hint: r.error.hint ?? classHints[r.error.class] ?? classHints.other ?? '',
          targets: [],
        };
        groups.set(key, group);
      }
      if (r.error.code !== undefined) group.codes.add(r.error.code);
      group.targets.push(targetName(r));
    }
  }
  return {
    ...total,
    total: results.length,
    stopped,
    durationMs,
    byAccount: [...accounts]
      .sort(([, a], [, b]) => a.id.localeCompare(b.id))
      .map(([account, a]) => ({ account, ...a.counts })),
    byRegion: [...regions]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, c]) => ({ region, ...c })),
    groups: [...groups.values()]
      .map((g) => ({
        class: g.class,
        status: g.status,
        count: g.targets.length,
        codes: [...g.codes].sort(),
        hint: g.hint,
        targets: g.targets.sort(),
      }))
      .sort(
        (a, b) =>
          (a.status === b.status ? 0 : a.status === 'failed' ? -1 : 1) ||
          b.count - a.count ||
          a.class.localeCompare(b.class),
      ),
  };
}

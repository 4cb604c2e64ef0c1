/**
 * What `RegionalAccountSet.map` resolves to: every result, the summary, and groupings for reports.
 */

import type { FanOutFailure, FanOutResult, FanOutStatus } from './FanOutResult';
import type { FanOutSummary } from './FanOutSummary';

/**
 * Counts of one account or one region.
 *
 * @public
 */
export type FanOutCounts = Record<FanOutStatus, number>;

/**
 * The outcome of a fan-out: one result per target (in completion order) and the summary, with
 * groupings that a report or a CLI needs.
 *
 * @example
 * ```ts
 * const report = await set.map((ra) => ra.callClient('sts', 'GetCallerIdentity'));
 * console.log(report.summary.succeeded, report.summary.failed);
 * for (const [region, counts] of report.byRegion()) console.log(region, counts.failed);
 * ```
 * @public
 */
export class FanOutReport<R, T = unknown> {
  /**
   * @param results - one result per target
   * @param summary - the counts of the run
   */
  constructor(
    readonly results: readonly FanOutResult<R, T>[],
    readonly summary: FanOutSummary,
  ) {}

  /** Whether every target succeeded (and the run was not stopped). */
  get ok(): boolean {
    return (
      this.summary.failed === 0 && this.summary.skipped === 0 && this.summary.stopped === undefined
    );
  }

  /** The values of the targets that succeeded. */
  values(): R[] {
    return this.results.flatMap((r) => (r.ok ? [r.value] : []));
  }

  /** The failed targets (not the skipped ones). */
  failures(): FanOutFailure<T>[] {
    return this.results.filter((r): r is FanOutFailure<T> => r.status === 'failed');
  }

  /** The skipped targets. */
  skipped(): FanOutFailure<T>[] {
    return this.results.filter((r): r is FanOutFailure<T> => r.status === 'skipped');
  }

  /** Counts by account id (`'unknown'` for a target whose id could not be read). */
  byAccount(): Map<string, FanOutCounts> {
    return this.#group((r) => r.accountId ?? 'unknown');
  }

  /** Counts by region (`'none'` for a target without one). */
  byRegion(): Map<string, FanOutCounts> {
    return this.#group((r) => r.region ?? 'none');
  }

  #group(key: (result: FanOutResult<R, T>) => string): Map<string, FanOutCounts> {
    const groups = new Map<string, FanOutCounts>();
    for (const result of this.results) {
      const k = key(result);
      let counts = groups.get(k);
      if (counts === undefined) {
        counts = { succeeded: 0, failed: 0, skipped: 0 };
        groups.set(k, counts);
      }
      counts[result.status] += 1;
    }
    return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
  }
}

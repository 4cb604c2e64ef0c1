/**
 * The counts of a fan-out.
 */

import type { ErrorClass } from './classifyError';

/**
 * The counts of a fan-out, so far (live on a stream) or at its end.
 *
 * @public
 */
export interface FanOutSummary {
  /** How many targets the run has (counted up front). */
  readonly total: number;
  /** How many results have been produced. */
  readonly completed: number;
  /** How many targets succeeded. */
  readonly succeeded: number;
  /** How many targets failed. */
  readonly failed: number;
  /** How many targets were skipped. */
  readonly skipped: number;
  /** How many targets are running now. */
  readonly running: number;
  /** Failed and skipped targets by error class. */
  readonly byClass: Readonly<Partial<Record<ErrorClass, number>>>;
  /** Why the run stopped early, if it did. */
  readonly stopped: 'aborted' | 'fail-fast' | 'tolerance' | undefined;
  /** Milliseconds since the run started. */
  readonly durationMs: number;
}

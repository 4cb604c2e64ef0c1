/**
 * What the command reports of one target, whatever the command: the fan-out result of
 * `@cs/regional` reduced to plain, printable data.
 */

/** What happened to a target. @internal */
export type TargetStatus = 'succeeded' | 'failed' | 'skipped';

/** Why a target failed or was skipped. @internal */
export interface TargetError {
  /** The error class of `@cs/regional` (`access-denied`, `throttled`, ...). */
  readonly class: string;
  /** The AWS or Node error code, when there is one. */
  readonly code: string | undefined;
  /** The message (secrets are masked by the layers below). */
  readonly message: string;
  /** What to do about it, when known. */
  readonly hint: string | undefined;
}

/** One target's outcome. @internal */
export interface TargetResult {
  readonly accountId: string | undefined;
  readonly alias: string | undefined;
  readonly region: string | undefined;
  readonly status: TargetStatus;
  readonly durationMs: number;
  /** The command's value for a target that succeeded (plain JSON data). */
  readonly value?: unknown;
  /** The error of a target that failed or was skipped. */
  readonly error?: TargetError;
}

/** Sorts results by account id, then region, so that outputs are stable. @internal */
export const byAccountThenRegion = (a: TargetResult, b: TargetResult): number =>
  (a.accountId ?? '~').localeCompare(b.accountId ?? '~') ||
  (a.region ?? '').localeCompare(b.region ?? '');

/**
 * The result of one target of a fan-out.
 */

import type { ErrorClass } from './classifyError';

/**
 * What happened to a target: it `succeeded`, `failed`, or was `skipped` (an `ignore` rule matched
 * its error, the run stopped before or while it ran, or it was never callable, like a suspended
 * member account).
 *
 * @public
 */
export type FanOutStatus = 'succeeded' | 'failed' | 'skipped';

/** The fields every result has. @public */
export interface FanOutResultBase<T> {
  /** The account id, when known (it is read through the account, and cached). */
  readonly accountId: string | undefined;
  /** The account's alias (its id when it has none), when known. */
  readonly alias: string | undefined;
  /** The region of the target, when it has one. */
  readonly region: string | undefined;
  /** How long the target took, in milliseconds (0 for a target that never ran). */
  readonly durationMs: number;
  /** The target itself (a RegionalAccount), when there is one. */
  readonly target: T | undefined;
}

/** A target whose function resolved. @public */
export interface FanOutSuccess<R, T = unknown> extends FanOutResultBase<T> {
  readonly ok: true;
  readonly status: 'succeeded';
  /** What the function resolved to. */
  readonly value: R;
}

/** A target that failed or was skipped. @public */
export interface FanOutFailure<T = unknown> extends FanOutResultBase<T> {
  readonly ok: false;
  readonly status: 'failed' | 'skipped';
  /** What the function threw (for a stopped run, a `FanOutStoppedError`). */
  readonly error: unknown;
  /** The class of `error` (see {@link classifyError}). */
  readonly errorClass: ErrorClass;
  /** The AWS or Node error code found on `error` or its causes. */
  readonly errorCode: string | undefined;
}

/**
 * The result of one target: `{ accountId, alias, region, ok, value | error, durationMs, status,
 * errorClass? }`.
 *
 * @example
 * ```ts
 * for await (const r of set.stream(fn)) console.log(r.accountId, r.region, r.ok ? r.value : r.errorClass);
 * ```
 * @public
 */
export type FanOutResult<R, T = unknown> = FanOutSuccess<R, T> | FanOutFailure<T>;

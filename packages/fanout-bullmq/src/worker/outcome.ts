/** Running one target's task and turning its result or error into a WireResult. */

import { classifyError } from '@cs/regional';
import type { RegionalAccount } from '@cs/regional';
import type { Task } from '../defineTask';
import type { RunMeta, WireResult } from '../internal/protocol';
import { identify } from './identity';

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export const nameOf = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? 'Error' : typeof error;

/** Whether the rate-limit store could not decide (Redis slow or away): worth another try. */
const storeFailed = (error: unknown): boolean => {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    if (e.name === 'RateLimitStoreError') return true;
  }
  return false;
};

/** The outcome of a target that did not run: the run was cancelled (`message` says when). */
export const skipped = (region: string, message: string): WireResult => ({
  s: 'skipped',
  d: 0,
  r: region,
  c: 'aborted',
  n: 'FanOutStoppedError',
  m: message,
});

/**
 * Runs one target's task (in a slot of the worker): its outcome, or the error to retry the job
 * with when the failure is retryable and attempts are left.
 */
export async function runTarget(
  meta: RunMeta,
  task: Task,
  ra: RegionalAccount,
  region: string,
  jobSignal: AbortSignal,
  canRetry: boolean,
): Promise<WireResult | Error> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(jobSignal.reason);
  if (jobSignal.aborted) onAbort();
  else jobSignal.addEventListener('abort', onAbort, { once: true });
  const timer =
    meta.timeout === undefined
      ? undefined
      : setTimeout(
          () =>
            controller.abort(
              new DOMException(
                `the target did not finish within ${meta.timeout} ms`,
                'TimeoutError',
              ),
            ),
          meta.timeout,
        );
  const started = performance.now();
  let identity: { accountId?: string; alias?: string | undefined } = {};
  try {
    identity = await identify(ra, meta.aliases);
    if (controller.signal.aborted) throw controller.signal.reason;
    const work = Promise.resolve(task.fn(ra, meta.input, { signal: controller.signal }));
    const value = await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason as Error);
        controller.signal.addEventListener(
          'abort',
          () => reject(controller.signal.reason as Error),
          {
            once: true,
          },
        );
      }),
    ]);
    work.catch(() => undefined);
    return {
      s: 'succeeded',
      v: value === undefined ? null : value,
      a: identity.accountId,
      l: identity.alias,
      r: region,
      d: performance.now() - started,
    };
  } catch (error) {
    return outcomeOf(
      error,
      controller.signal,
      region,
      identity,
      performance.now() - started,
      canRetry,
    );
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    jobSignal.removeEventListener('abort', onAbort);
  }
}

/**
 * A target's error as its outcome: skipped when its run was cancelled, the error to retry the job
 * with when the failure is retryable (and attempts are left), failed otherwise.
 */
function outcomeOf(
  error: unknown,
  signal: AbortSignal,
  region: string,
  identity: { accountId?: string; alias?: string | undefined },
  d: number,
  canRetry: boolean,
): WireResult | Error {
  const cancelled =
    signal.aborted && (signal.reason as Error | undefined)?.name === 'FanOutStoppedError';
  if (cancelled)
    return {
      ...skipped(region, 'the run was cancelled while this target ran'),
      a: identity.accountId,
      l: identity.alias,
      d,
    };
  const { errorClass, code } = classifyError(error);
  const retryable =
    (errorClass === 'throttled' || errorClass === 'network' || storeFailed(error)) &&
    !signal.aborted &&
    canRetry;
  // BullMQ keeps the message only (stack traces are off): the retry may run on another worker.
  if (retryable) return new Error(`${nameOf(error)}: ${messageOf(error)}`, { cause: error });
  return {
    s: 'failed',
    a: identity.accountId,
    l: identity.alias,
    r: region,
    d,
    c: errorClass,
    ...(code === undefined ? {} : { k: code }),
    n: nameOf(error),
    m: messageOf(error),
  };
}

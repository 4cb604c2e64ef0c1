/**
 * The async iterator that `RegionalAccountSet.stream` returns.
 */

import type { FanOutResult } from './FanOutResult';
import type { FanOutSummary } from './FanOutSummary';

/**
 * A running fan-out, read with `for await`: each result is yielded as its target completes. Work
 * starts at the first read; targets are pulled lazily and no target starts while `concurrency`
 * results wait to be read, so memory stays bounded whatever the number of targets. Leaving the loop
 * early (`break`) stops the run and aborts the running targets.
 *
 * @example
 * ```ts
 * const stream = set.stream((ra) => ra.callClient('sts', 'GetCallerIdentity'));
 * for await (const r of stream) console.log(r.region, r.status);
 * console.log(stream.summary);
 * ```
 * @public
 */
export interface FanOutStream<R, T = unknown> extends AsyncIterableIterator<FanOutResult<R, T>> {
  /** The counts so far (final once the iteration has ended). */
  readonly summary: FanOutSummary;
}

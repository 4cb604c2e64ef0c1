import type { RateLimitOptions } from './RateLimitProperties';
import { RateLimitProperties } from './RateLimitProperties';

/**
 * A function wrapped by {@link ratelimited}: the same parameters, always async, with its limit
 * attached as `ratelimit` (read it for `stats`, or change its values at run time).
 * @public
 */
export type RateLimitedFunction<This, Args extends unknown[], R> = ((
  this: This,
  ...args: Args
) => Promise<Awaited<R>>) & { readonly ratelimit: RateLimitProperties };

/**
 * Wraps `fn` so that every call first takes a slot from a limit. The wrapper is async: it waits
 * (`block: true`) or rejects with {@link RateLimitExceeded} (`block: false`) before `fn` runs.
 *
 * @param fn - the function to limit (`this` is passed through)
 * @param limitOrOptions - a {@link RateLimitProperties} to share, or options for a new one
 * @returns the wrapped function, with the limit as its `ratelimit` property
 * @throws {@link RateLimitConfigError} when the options are invalid
 * @example
 * ```ts
 * const getItem = ratelimited(async (id: string) => fetchItem(id), {
 *   maxCount: 5, interval: '1s', block: true,
 * });
 * await Promise.all(ids.map((id) => getItem(id))); // at most 5 per second
 * ```
 * @public
 */
export function ratelimited<This, Args extends unknown[], R>(
  fn: (this: This, ...args: Args) => R,
  limitOrOptions: RateLimitProperties | RateLimitOptions,
): RateLimitedFunction<This, Args, R> {
  const limit =
    limitOrOptions instanceof RateLimitProperties
      ? limitOrOptions
      : new RateLimitProperties(limitOrOptions);
  const wrapped = async function (this: This, ...args: Args): Promise<Awaited<R>> {
    await limit.acquire();
    return await fn.apply(this, args);
  };
  Object.defineProperty(wrapped, 'ratelimit', { value: limit, enumerable: true });
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  return wrapped as RateLimitedFunction<This, Args, R>;
}

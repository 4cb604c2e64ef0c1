import type { RateLimitOptions } from './RateLimitProperties';
import { RateLimitProperties } from './RateLimitProperties';

/**
 * A standard (TC39, TypeScript 5 without `experimentalDecorators`) method decorator that takes a
 * slot from a limit before each call of an async method.
 *
 * - `ratelimitedMethod((self) => self.limit)`: a per-instance limit, read from the instance at each
 *   call (so it can be replaced at run time).
 * - `ratelimitedMethod({ maxCount, interval, block })` or `ratelimitedMethod(sharedLimit)`: one limit
 *   for every instance of the class (created once, when the class is defined).
 *
 * @param limit - a selector of the instance's limit, a shared limit, or options for a new one
 * @returns the decorator
 * @throws {@link RateLimitConfigError} when the options are invalid (at class definition)
 * @example
 * ```ts
 * class Api {
 *   limit = new RateLimitProperties({ maxCount: 10, interval: '1s', block: true });
 *
 *   @ratelimitedMethod((self: Api) => self.limit)
 *   async get(id: string) { return fetchItem(id); }
 *
 *   @ratelimitedMethod({ maxCount: 1, interval: '1m', block: true }) // shared by all instances
 *   async refresh() { return reload(); }
 * }
 * ```
 * @public
 */
export function ratelimitedMethod<This, Args extends unknown[], T>(
  limit: ((self: This) => RateLimitProperties) | RateLimitProperties | RateLimitOptions,
): (
  method: (this: This, ...args: Args) => Promise<T>,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<T>>,
) => (this: This, ...args: Args) => Promise<T> {
  const select: (self: This) => RateLimitProperties =
    typeof limit === 'function'
      ? limit
      : (
          (shared) => () =>
            shared
        )(limit instanceof RateLimitProperties ? limit : new RateLimitProperties(limit));
  return (method, context) => {
    if (context.kind !== 'method') {
      throw new TypeError(`@ratelimitedMethod decorates methods, not a ${String(context.kind)}`);
    }
    return async function (this: This, ...args: Args): Promise<T> {
      await select(this).acquire();
      return await method.apply(this, args);
    };
  };
}

import type { Pluggable } from '@smithy/types';

/**
 * Throttling errors that the SDK's standard retry mode does not list itself
 * (`LimitExceeded`, any `Rate exceeded` message); the others (`Throttling`, `ThrottlingException`,
 * `RequestLimitExceeded`, `TooManyRequestsException`, HTTP 429) it retries already.
 */
export const isExtraThrottlingError = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'LimitExceeded' || /rate exceeded/i.test(error.message));

/**
 * Marks those errors `$retryable: { throttling: true }` right where they are deserialized, inside
 * the SDK's retry loop, so that its standard mode retries them as throttling (one retry layer,
 * with its throttling backoff and retry quota).
 */
export const throttlingPlugin = <Input extends object, Output extends object>(): Pluggable<
  Input,
  Output
> => ({
  applyToStack(stack) {
    stack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (isExtraThrottlingError(error)) {
            Object.assign(error as object, { $retryable: { throttling: true } });
          }
          throw error;
        }
      },
      { step: 'deserialize', priority: 'high', name: 'csThrottlingClassifier', override: true },
    );
  },
});

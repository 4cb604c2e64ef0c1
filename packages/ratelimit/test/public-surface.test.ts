import { expect, it } from 'vitest';
import * as api from '../src/index';

it('the package exports exactly its public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "MAX_DURATION_MS",
      "MemoryRateLimitStore",
      "RateLimitConfigError",
      "RateLimitError",
      "RateLimitExceeded",
      "RateLimitProperties",
      "SharedMemoryRateLimitStore",
      "isRateLimitConfigError",
      "isRateLimitError",
      "isRateLimitExceeded",
      "parseDuration",
      "rateLimitPropertiesFactory",
      "ratelimited",
      "ratelimitedMethod",
      "systemClock",
    ]
  `);
});

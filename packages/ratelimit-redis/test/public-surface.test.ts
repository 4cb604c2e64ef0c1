import { expect, it } from 'vitest';
import * as api from '../src/index';

it('the package exports exactly its public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "RateLimitKeyConflictError",
      "RateLimitStoreError",
      "RedisRateLimitStore",
      "createRedisRateLimitStore",
      "isRateLimitKeyConflictError",
      "isRateLimitStoreError",
    ]
  `);
});

import { createRequire } from 'node:module';
import * as esmRatelimit from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import * as source from '../src/index';

// The CommonJS builds: another copy of both packages than the ES modules (and the sources) loaded
// above, as an application gets when one dependency requires them and another imports them.
const require = createRequire(import.meta.url);
const cjsRatelimit = require('@cs/ratelimit') as typeof esmRatelimit;
const cjsRedis = require('../dist/index.cjs') as typeof source;

describe('errors of another copy of the packages', () => {
  it('are other classes, so instanceof cannot recognise them', () => {
    expect(cjsRatelimit.RateLimitError).not.toBe(esmRatelimit.RateLimitError);
    expect(new cjsRedis.RateLimitStoreError('down', 'k')).not.toBeInstanceOf(
      esmRatelimit.RateLimitError,
    );
  });

  it("are recognised by @cs/ratelimit's isRateLimitError, whichever copy made them", () => {
    const made = [
      new cjsRedis.RateLimitStoreError('down', 'k'),
      new cjsRedis.RateLimitKeyConflictError('k', 1, 1000, 2, 1000),
      new source.RateLimitStoreError('down', 'k'),
      new source.RateLimitKeyConflictError('k', 1, 1000, 2, 1000),
    ];
    for (const error of made) {
      expect(esmRatelimit.isRateLimitError(error)).toBe(true);
      expect(cjsRatelimit.isRateLimitError(error)).toBe(true);
      expect(esmRatelimit.isRateLimitExceeded(error)).toBe(false);
      expect(cjsRatelimit.isRateLimitConfigError(error)).toBe(false);
    }
  });

  it("are recognised by this package's guards, whichever copy made them", () => {
    const store = new cjsRedis.RateLimitStoreError('down', 'k');
    const conflict = new cjsRedis.RateLimitKeyConflictError('k', 1, 1000, 2, 1000);
    expect([
      source.isRateLimitStoreError(store),
      source.isRateLimitKeyConflictError(conflict),
    ]).toEqual([true, true]);
    expect([
      source.isRateLimitStoreError(conflict),
      source.isRateLimitKeyConflictError(store),
    ]).toEqual([false, false]);
  });

  it('of @cs/ratelimit are recognised across copies, and a subclass is recognised as its base', () => {
    class MyExceeded extends cjsRatelimit.RateLimitExceeded {
      override readonly name = 'MyExceeded' as 'RateLimitExceeded';
    }
    const mine = new MyExceeded(1, 1000);
    expect(esmRatelimit.isRateLimitExceeded(mine)).toBe(true);
    expect(esmRatelimit.isRateLimitError(mine)).toBe(true);
    expect(esmRatelimit.isRateLimitError(new cjsRatelimit.RateLimitConfigError('k', 1, 'x'))).toBe(
      true,
    );
  });
});

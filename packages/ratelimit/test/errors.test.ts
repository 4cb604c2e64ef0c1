import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  RateLimitConfigError,
  RateLimitError,
  RateLimitExceeded,
  isRateLimitConfigError,
  isRateLimitError,
  isRateLimitExceeded,
  rateLimitPropertiesFactory,
} from '../src/index';

describe('errors', () => {
  it('form one hierarchy with readonly names', () => {
    const exceeded = new RateLimitExceeded(5, 250);
    const config = new RateLimitConfigError('interval', 'x', 'a duration');
    expect(exceeded).toBeInstanceOf(RateLimitError);
    expect(config).toBeInstanceOf(RateLimitError);
    expect([new RateLimitError('x').name, exceeded.name, config.name]).toEqual([
      'RateLimitError',
      'RateLimitExceeded',
      'RateLimitConfigError',
    ]);
    expect(exceeded.message).toBe(
      'rate limit of 5 calls per 250 ms exceeded: retry later, or set block: true to wait for a slot',
    );
  });

  it('guards recognise errors from another copy of the package by name', () => {
    const foreign = Object.assign(new Error('rate limit of 1 calls per 1 ms exceeded'), {
      name: 'RateLimitExceeded',
    });
    expect(isRateLimitExceeded(foreign)).toBe(true);
    expect(isRateLimitError(foreign)).toBe(true);
    expect(
      isRateLimitConfigError(Object.assign(new Error(), { name: 'RateLimitConfigError' })),
    ).toBe(true);
  });

  it('guards refuse everything else', () => {
    for (const value of [new Error('x'), { name: 'RateLimitExceeded' }, 'RateLimitError', null]) {
      expect(isRateLimitError(value)).toBe(false);
      expect(isRateLimitExceeded(value)).toBe(false);
      expect(isRateLimitConfigError(value)).toBe(false);
    }
    expect(isRateLimitExceeded(new RateLimitConfigError('k', 1, 'x'))).toBe(false);
  });

  it('no error of the package holds a secret given as an unknown setting, at any depth', () => {
    const secret = 'SECRETFIXTURE-rlUnknownKey1';
    const errors: unknown[] = [new RateLimitExceeded(1, 1000), new RateLimitError('x')];
    for (const spec of [
      { password: secret },
      { max_count: 1, redis_url: `redis://:${secret}@host` },
    ]) {
      try {
        rateLimitPropertiesFactory(spec);
      } catch (e) {
        errors.push(e);
      }
    }
    expect(errors).toHaveLength(4);
    for (const error of errors) {
      for (let e: unknown = error; e !== undefined; e = (e as Error).cause) {
        expect(inspect(e, { showHidden: true, depth: null })).not.toContain('SECRETFIXTURE');
        expect(String((e as Error).stack)).not.toContain('SECRETFIXTURE');
      }
    }
  });
});

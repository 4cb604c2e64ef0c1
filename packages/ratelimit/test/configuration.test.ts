import { describe, expect, it } from 'vitest';
import {
  RateLimitConfigError,
  isRateLimitConfigError,
  isRateLimitError,
  parseDuration,
  rateLimitPropertiesFactory,
} from '../src/index';
import type { RateLimitSpec } from '../src/index';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['1s', 1000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1 min', 60_000],
    ['2 seconds', 2000],
    ['1d', 86_400_000],
    [' 10S ', 10_000],
    ['.5s', 500],
    ['40', 40],
    ['0', 0],
  ] as const)('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('takes a number as milliseconds', () => {
    expect(parseDuration(1500)).toBe(1500);
  });

  it.each(['', 'fast', '5 fortnights', '-1s', '1s and more', 's', '1.2.3s'])(
    'rejects %j with a RateLimitConfigError naming the value',
    (text) => {
      expect(() => parseDuration(text)).toThrow(RateLimitConfigError);
      expect(() => parseDuration(text)).toThrow(`interval: ${JSON.stringify(text)}`);
    },
  );

  it('rejects negative and non-finite numbers, naming the key given', () => {
    expect(() => parseDuration(-1, 'timeout')).toThrow(/setting timeout: -1/);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(/interval: Infinity/);
  });
});

describe('rateLimitPropertiesFactory', () => {
  it('reads the original names, with interval in seconds', () => {
    const limit = rateLimitPropertiesFactory({ max_count: 10, interval: 1, block: true });
    expect([limit.maxCount, limit.interval, limit.block]).toEqual([10, 1000, true]);
  });

  it('reads camelCase names, duration strings, fractions of seconds and numeric strings', () => {
    expect(rateLimitPropertiesFactory({ maxCount: 5, interval: '250ms' }).interval).toBe(250);
    expect(rateLimitPropertiesFactory({ max_count: 5, interval: 0.5 }).interval).toBe(500);
    const fromText = rateLimitPropertiesFactory({ max_count: '7', interval: '2' });
    expect([fromText.maxCount, fromText.interval]).toEqual([7, 2000]);
  });

  it('gives an unlimited, non-blocking limit for an empty section', () => {
    const limit = rateLimitPropertiesFactory();
    expect([limit.unlimited, limit.block]).toEqual([true, false]);
    expect(rateLimitPropertiesFactory({}).unlimited).toBe(true);
  });

  it('returns a new limit each time', () => {
    const spec = { max_count: 1, interval: 1 };
    expect(rateLimitPropertiesFactory(spec)).not.toBe(rateLimitPropertiesFactory(spec));
  });

  it.each([
    [{ max_count: -1 }, 'max_count: -1 (expected a non-negative integer'],
    [{ maxCount: 'ten' }, 'maxCount: "ten"'],
    [{ max_count: 2.5 }, 'max_count: 2.5'],
    [{ interval: -2 }, 'interval: -2 (expected a non-negative number of seconds'],
    [{ interval: 'soon' }, 'interval: "soon"'],
    [{ interval: true }, 'interval: true'],
    [{ block: 'yes' }, 'block: "yes" (expected true or false)'],
    [{ max_count: 1, maxCount: 2 }, 'either max_count or maxCount, not both'],
  ])('rejects %j with a clear error', (spec, message) => {
    let error: unknown;
    try {
      rateLimitPropertiesFactory(spec as RateLimitSpec);
    } catch (e) {
      error = e;
    }
    expect(isRateLimitConfigError(error)).toBe(true);
    expect(isRateLimitError(error)).toBe(true);
    expect((error as Error).message).toContain(message);
  });

  it('rejects an unknown key, naming it but never echoing its value', () => {
    const spec = {
      max_count: 1,
      maxcount: 2,
      aws_secret_access_key: 'SECRETFIXTURE-wJalrXUtnFEMI/K7MDENG',
    };
    let error: unknown;
    try {
      rateLimitPropertiesFactory(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'RateLimitConfigError', key: 'maxcount' });
    expect((error as Error).message).toMatch(/maxcount \(unknown key; expected max_count/);
    try {
      rateLimitPropertiesFactory({
        aws_secret_access_key: 'SECRETFIXTURE-wJalrXUtnFEMI/K7MDENG',
      } as never);
    } catch (e) {
      expect((e as Error).message).not.toContain('wJalr');
      expect((e as Error).message).toContain('aws_secret_access_key');
    }
  });

  it('rejects a section that is not an object', () => {
    expect(() => rateLimitPropertiesFactory([] as never)).toThrow(
      /RateLimit: a value of type array \(expected an object/,
    );
  });
});

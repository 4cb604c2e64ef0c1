/**
 * Property tests (issue 9) on every entry point of @cs/ratelimit that takes user input: the
 * constructor, the setters, the configuration factory and parseDuration. Whatever they are given,
 * they either succeed with a usable limit or throw a RateLimitConfigError whose message names the
 * setting, and never echo a value given under an unknown key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isRateLimitConfigError,
  parseDuration,
  RateLimitProperties,
  rateLimitPropertiesFactory,
} from '../src/index';

/** Anything a configuration file or a careless caller could put there. */
const anyValue = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(),
  fc.string(),
  fc.constantFrom('250ms', '1s', '2m', '1h30m', '10', ' 5 ', '-1s', '1x', '', 'NaN', 'Infinity'),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);
const SECRET = 'SECRETFIXTURE-ratelimit-0001';

/** Runs `fn`; it must succeed, or throw a RateLimitConfigError naming one of `keys`. */
const onlyConfigErrors = (fn: () => unknown, keys: string[]): unknown => {
  try {
    return fn();
  } catch (error) {
    expect(isRateLimitConfigError(error)).toBe(true);
    const message = (error as Error).message;
    expect(keys.some((k) => message.includes(k))).toBe(true);
    expect(message).not.toContain(SECRET);
    return undefined;
  }
};

/** A limit that was accepted must behave: tryAcquire answers a boolean, without throwing. */
const usable = (limit: unknown) => {
  if (limit instanceof RateLimitProperties) {
    expect(limit.maxCount).toBeGreaterThanOrEqual(0);
    expect(limit.interval).toBeGreaterThanOrEqual(0);
    expect(typeof limit.tryAcquire()).toBe('boolean');
  }
};

describe('bad input to @cs/ratelimit (fast-check)', () => {
  it('new RateLimitProperties(random options): a working limit or a RateLimitConfigError naming the option', () => {
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, (maxCount, interval, block) => {
        const limit = onlyConfigErrors(
          () =>
            new RateLimitProperties({
              maxCount,
              interval,
              block,
            } as unknown as ConstructorParameters<typeof RateLimitProperties>[0]),
          ['maxCount', 'interval', 'block'],
        );
        usable(limit);
      }),
      { numRuns: 500 },
    );
  });

  it('the setters refuse bad values with a RateLimitConfigError and keep the previous value', () => {
    fc.assert(
      fc.property(fc.constantFrom('maxCount', 'interval', 'block'), anyValue, (key, value) => {
        const limit = new RateLimitProperties({ maxCount: 5, interval: 1000 });
        const before = { maxCount: limit.maxCount, interval: limit.interval, block: limit.block };
        try {
          (limit as unknown as Record<string, unknown>)[key] = value;
        } catch (error) {
          expect(isRateLimitConfigError(error)).toBe(true);
          expect((error as Error).message).toContain(key);
          expect({
            maxCount: limit.maxCount,
            interval: limit.interval,
            block: limit.block,
          }).toEqual(before);
        }
        usable(limit);
      }),
      { numRuns: 500 },
    );
  });

  it('rateLimitPropertiesFactory(random spec): a working limit or a RateLimitConfigError naming the key, never echoing an unknown key’s value', () => {
    const key = fc.oneof(
      fc.constantFrom('max_count', 'maxCount', 'interval', 'block'),
      fc.string({ minLength: 1, maxLength: 12 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(key, anyValue, { maxKeys: 4 }),
        fc.boolean(),
        (spec, withSecret) => {
          const input: Record<string, unknown> = { ...spec };
          if (withSecret) input.aws_secret_access_key = SECRET; // a misplaced secret, unknown here
          const limit = onlyConfigErrors(
            () => rateLimitPropertiesFactory(input),
            [...Object.keys(input), 'max_count', 'maxCount'],
          );
          usable(limit);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rateLimitPropertiesFactory refuses anything that is not an object, clearly', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.integer())),
        (spec) => {
          let thrown: unknown;
          try {
            rateLimitPropertiesFactory(spec as never);
          } catch (error) {
            thrown = error;
          }
          expect(isRateLimitConfigError(thrown)).toBe(true);
          expect((thrown as Error).message.length).toBeGreaterThan(10);
        },
      ),
    );
  });

  it('parseDuration(random text): a non-negative finite number of ms or a RateLimitConfigError naming the key', () => {
    const text = fc.oneof(
      fc.string(),
      fc.stringMatching(/^-?\d{0,6}(\.\d{0,3})?(ms|s|m|h|d|x)?(\d{0,3}(ms|s|m))?$/),
      fc.double(),
      fc.integer(),
    );
    fc.assert(
      fc.property(text, (value) => {
        try {
          const ms = parseDuration(value, 'RateLimit.interval');
          expect(Number.isFinite(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(isRateLimitConfigError(error)).toBe(true);
          expect((error as Error).message).toContain('RateLimit.interval');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

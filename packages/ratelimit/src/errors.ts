/**
 * The errors of `@cs/ratelimit`. Each has a readonly `name`, and each has a guard that checks `name`
 * as well as `instanceof`, so that two copies of the package (CJS and ESM) agree.
 */

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The base class of every error this package throws.
 *
 * @example
 * ```ts
 * try { await limit.acquire(); } catch (e) { if (isRateLimitError(e)) console.warn(e.message); }
 * ```
 * @public
 */
export class RateLimitError extends Error {
  override readonly name: string = 'RateLimitError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['RateLimitError'];
}

/**
 * A non-blocking acquisition (`block: false`) found no free slot: `maxCount` grants were already
 * made in the last `interval` milliseconds.
 *
 * @example
 * ```ts
 * const limit = new RateLimitProperties({ maxCount: 1, interval: '1s' });
 * await limit.acquire();
 * await limit.acquire(); // rejects: RateLimitExceeded: rate limit of 1 calls per 1000 ms exceeded
 * ```
 * @public
 */
export class RateLimitExceeded extends RateLimitError {
  override readonly name = 'RateLimitExceeded';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RateLimitError',
    'RateLimitExceeded',
  ];
  /**
   * @param maxCount - the limit's `maxCount` when the acquisition failed
   * @param interval - the limit's `interval` in milliseconds when the acquisition failed
   */
  constructor(
    readonly maxCount: number,
    readonly interval: number,
  ) {
    super(
      `rate limit of ${maxCount} calls per ${interval} ms exceeded: retry later, or set block: true to wait for a slot`,
    );
  }
}

/**
 * A rate-limit setting is invalid (negative, not a number, an unknown unit or key). The message
 * names the setting and, for known settings, the value given.
 *
 * @example
 * ```ts
 * rateLimitPropertiesFactory({ max_count: -1 });
 * // throws RateLimitConfigError: invalid rate limit setting max_count: -1 (expected a non-negative integer)
 * ```
 * @public
 */
export class RateLimitConfigError extends RateLimitError {
  override readonly name = 'RateLimitConfigError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RateLimitError',
    'RateLimitConfigError',
  ];
  /**
   * @param key - the name of the setting, as the caller spelled it
   * @param value - the value given (not echoed in the message for unknown keys)
   * @param expected - what a valid value looks like
   * @param showValue - whether the message may echo `value` (false for unknown keys, which could
   *   be anything, even a misplaced secret)
   */
  constructor(
    readonly key: string,
    readonly value: unknown,
    expected: string,
    showValue = true,
  ) {
    super(
      showValue
        ? `invalid rate limit setting ${key}: ${describe(value)} (expected ${expected})`
        : `invalid rate limit setting ${key} (${expected})`,
    );
  }
}

const describe = (value: unknown): string => {
  if (typeof value === 'string') {
    // A long value (a pasted file, 400 digits) is cut: the message stays readable.
    return value.length > 64
      ? `${JSON.stringify(value.slice(0, 64))}... (${value.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
};

/**
 * Whether `e` is a {@link RateLimitError} (any error of this package).
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRateLimitError(e)) retryLater();
 * ```
 * @public
 */
export const isRateLimitError = (e: unknown): e is RateLimitError =>
  isErrorOf(e, ['RateLimitError', 'RateLimitExceeded', 'RateLimitConfigError']);

/**
 * Whether `e` is a {@link RateLimitExceeded}. Checks `name` too, so that two copies of the package
 * (CJS and ESM) agree.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRateLimitExceeded(e)) console.log(`limit ${e.maxCount}/${e.interval} ms`);
 * ```
 * @public
 */
export const isRateLimitExceeded = (e: unknown): e is RateLimitExceeded =>
  isErrorOf(e, ['RateLimitExceeded']);

/**
 * Whether `e` is a {@link RateLimitConfigError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRateLimitConfigError(e)) console.error(`fix the setting ${e.key}`);
 * ```
 * @public
 */
export const isRateLimitConfigError = (e: unknown): e is RateLimitConfigError =>
  isErrorOf(e, ['RateLimitConfigError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

import { RateLimitConfigError } from './errors';

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  msec: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * The longest duration the package accepts, in milliseconds: 100 years of 365.25 days
 * (3,155,760,000,000 ms). Anything longer is not a rate; and below it every time the stores compute
 * (a clock reading plus an interval, in microseconds for the Redis store) is an exact integer in a
 * double. A duration past it is refused with {@link RateLimitConfigError}.
 *
 * @example
 * ```ts
 * parseDuration(MAX_DURATION_MS); // accepted
 * parseDuration(MAX_DURATION_MS + 1); // throws RateLimitConfigError
 * ```
 * @public
 */
export const MAX_DURATION_MS = 3_155_760_000_000;

const EXPECTED =
  'a non-negative number of milliseconds or a duration such as "250ms", "1s", "2m", "1h30m", at most 100 years (3155760000000 ms)';

/**
 * Checks a duration in milliseconds computed from `given` (finite, non-negative, at most
 * {@link MAX_DURATION_MS}) and returns it.
 *
 * @internal
 */
export function checkDuration(
  ms: number,
  key: string,
  given: unknown = ms,
  expected = EXPECTED,
): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION_MS) {
    throw new RateLimitConfigError(key, given, expected);
  }
  return ms;
}

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*/gy;
const BARE = /^(\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Converts a duration to milliseconds: a number is taken as milliseconds; a string is one or more
 * `<number><unit>` parts (`'250ms'`, `'1s'`, `'1.5s'`, `'2m'`, `'1h30m'`), with units `ms`, `s`,
 * `m`, `h`, `d` (or `sec`, `min`, `hour`, `day`... in full); a bare number string is milliseconds.
 *
 * @param text - the duration
 * @param key - the setting's name, used in the error message
 * @returns the duration in milliseconds (non-negative, finite, at most {@link MAX_DURATION_MS})
 * @throws {@link RateLimitConfigError} for a negative or non-finite number, a duration longer than
 *   {@link MAX_DURATION_MS} (`'9'.repeat(400)` included), an empty string, an unknown unit or any
 *   other text
 * @example
 * ```ts
 * parseDuration('250ms'); // 250
 * parseDuration('2m');    // 120000
 * parseDuration('1m30s'); // 90000
 * parseDuration(1500);    // 1500
 * ```
 * @public
 */
export function parseDuration(text: string | number, key = 'interval'): number {
  const expected = EXPECTED;
  if (typeof text === 'number') return checkDuration(text, key);
  if (typeof text !== 'string') throw new RateLimitConfigError(key, text, expected);
  const s = text.trim().toLowerCase();
  if (BARE.test(s)) return checkDuration(Number(s), key, text);
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  while (at < s.length) {
    PART.lastIndex = at;
    const m = PART.exec(s);
    const unit = m ? UNITS[m[2]!] : undefined;
    if (!m || unit === undefined) throw new RateLimitConfigError(key, text, expected);
    total += Number(m[1]) * unit;
    at = PART.lastIndex;
  }
  if (at === 0) throw new RateLimitConfigError(key, text, expected);
  return checkDuration(total, key, text);
}

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

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*/gy;
const BARE = /^(\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Converts a duration to milliseconds: a number is taken as milliseconds; a string is one or more
 * `<number><unit>` parts (`'250ms'`, `'1s'`, `'1.5s'`, `'2m'`, `'1h30m'`), with units `ms`, `s`,
 * `m`, `h`, `d` (or `sec`, `min`, `hour`, `day`... in full); a bare number string is milliseconds.
 *
 * @param text - the duration
 * @param key - the setting's name, used in the error message
 * @returns the duration in milliseconds (non-negative, finite)
 * @throws {@link RateLimitConfigError} for a negative or non-finite number, an empty string, an
 *   unknown unit or any other text
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
  const expected =
    'a non-negative number of milliseconds or a duration such as "250ms", "1s", "2m", "1h30m"';
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new RateLimitConfigError(key, text, expected);
    return text;
  }
  if (typeof text !== 'string') throw new RateLimitConfigError(key, text, expected);
  const s = text.trim().toLowerCase();
  if (BARE.test(s)) return Number(s);
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
  return total;
}

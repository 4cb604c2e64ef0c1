import { RateLimitConfigError } from './errors';
import { checkBlock, checkMaxCount } from './internal/validate';
import { checkDuration, parseDuration } from './parseDuration';
import type { RateLimitOptions } from './RateLimitProperties';
import { RateLimitProperties } from './RateLimitProperties';

/**
 * The configuration-file form of a rate limit (the `RateLimit` section), with the original's names.
 * `interval` is in SECONDS when a number (or a numeric string), or a duration string (`'250ms'`,
 * `'2m'`). camelCase names are accepted too.
 *
 * @example
 * ```yaml
 * RateLimit:
 *   max_count: 10
 *   interval: 1      # seconds
 *   block: true
 * ```
 * @public
 */
export interface RateLimitSpec {
  /** At most this many calls per interval; `0` = unlimited. @defaultValue `0` */
  max_count?: number | string;
  /** The same as `max_count`. */
  maxCount?: number | string;
  /** Seconds (a number) or a duration string; `0` = unlimited. @defaultValue `0` */
  interval?: number | string;
  /** Wait for a slot (`true`) or fail at once (`false`). @defaultValue `false` */
  block?: boolean;
}

const KNOWN = new Set(['max_count', 'maxCount', 'interval', 'block']);
const NUMERIC = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * Builds a {@link RateLimitProperties} from a configuration section (see {@link RateLimitSpec}):
 * `max_count`/`maxCount`, `interval` in seconds or as a duration string, `block`. Every call
 * returns a new limit (share the object to share a budget).
 *
 * @param spec - the section; `undefined` or `{}` gives an unlimited limit
 * @param options - `store` and `clock` for the new limit
 * @returns the new limit
 * @throws {@link RateLimitConfigError} naming the key (and the value, for known keys) when a value
 *   is negative, not a number, not an integer count, not a boolean, a duration longer than
 *   {@link MAX_DURATION_MS}, or the key is unknown
 * @example
 * ```ts
 * const limit = rateLimitPropertiesFactory({ max_count: 10, interval: 1, block: true });
 * limit.interval; // 1000 (ms)
 * ```
 * @public
 */
export function rateLimitPropertiesFactory(
  spec: RateLimitSpec = {},
  options: Pick<RateLimitOptions, 'store' | 'clock'> = {},
): RateLimitProperties {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new RateLimitConfigError(
      'RateLimit',
      spec,
      'an object with max_count, interval (seconds) and block',
    );
  }
  for (const key of Object.keys(spec)) {
    if (!KNOWN.has(key)) {
      throw new RateLimitConfigError(
        key,
        undefined,
        'unknown key; expected max_count (or maxCount), interval, block',
        false,
      );
    }
  }
  if (spec.max_count !== undefined && spec.maxCount !== undefined) {
    throw new RateLimitConfigError(
      'maxCount',
      spec.maxCount,
      'either max_count or maxCount, not both',
    );
  }
  const countKey = spec.max_count !== undefined ? 'max_count' : 'maxCount';
  const rawCount = spec.max_count ?? spec.maxCount ?? 0;
  const maxCount = checkMaxCount(
    typeof rawCount === 'string' && NUMERIC.test(rawCount) ? Number(rawCount) : rawCount,
    countKey,
  );
  const rawInterval = spec.interval ?? 0;
  let interval: number;
  if (
    typeof rawInterval === 'number' ||
    (typeof rawInterval === 'string' && NUMERIC.test(rawInterval))
  ) {
    // Checked once converted: 1e306 seconds is finite, its milliseconds are not.
    interval = checkDuration(
      Number(rawInterval) * 1000,
      'interval',
      rawInterval,
      'a non-negative number of seconds or a duration such as "250ms", "1s", "2m", at most 100 years (3155760000 seconds)',
    );
  } else {
    interval = parseDuration(rawInterval, 'interval');
  }
  const block = checkBlock(spec.block ?? false, 'block');
  return new RateLimitProperties({ maxCount, interval, block, ...options });
}

import { RateLimitConfigError } from '../errors';

/** Validates a `maxCount`: a non-negative safe integer (0 = unlimited). */
export function checkMaxCount(value: unknown, key = 'maxCount'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RateLimitConfigError(key, value, 'a non-negative integer; 0 means unlimited');
  }
  return value;
}

/** Validates a `block` flag. */
export function checkBlock(value: unknown, key = 'block'): boolean {
  if (typeof value !== 'boolean') throw new RateLimitConfigError(key, value, 'true or false');
  return value;
}

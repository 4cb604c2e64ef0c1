import { createHash } from 'node:crypto';
import { canonicalKey } from '@cs/session';

/**
 * The key of a factory's cache: the SHA-256 of `canonicalKey(value)` (equal for equal
 * configurations, whatever their key order), so that a cache of thousands of RegionalAccounts
 * holds 44 characters per entry rather than the whole text of its configuration.
 *
 * @internal
 */
export const factoryKey = (value: unknown): string =>
  createHash('sha256').update(canonicalKey(value)).digest('base64');

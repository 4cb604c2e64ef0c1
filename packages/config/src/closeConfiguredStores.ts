import { closeStores } from './build/redisStores';

/**
 * Closes the Redis connections of every rate-limit store the builders opened for
 * `store: { redis: { url, key } }`, so that a script ends by itself, and forgets them. Call it
 * once the work is done (an open store keeps the process alive). The limits built before keep
 * their closed store, whose acquisitions then fail with `RateLimitStoreError`, and the factories
 * of `@cs/regional` keep those limits cached: to build again in the same process, clear them too
 * (`clearRegionalAccountFactory()`, `clearRegionalAccountsFactory()`).
 *
 * @returns a promise that resolves once every connection is closed; never rejects.
 * @example
 * ```ts
 * const set = buildRegionalAccountSet(getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'));
 * try {
 *   await set.map((ra) => ra.callClient('sts', 'GetCallerIdentity'));
 * } finally {
 *   await closeConfiguredStores();
 * }
 * ```
 * @public
 */
export async function closeConfiguredStores(): Promise<void> {
  await closeStores();
}

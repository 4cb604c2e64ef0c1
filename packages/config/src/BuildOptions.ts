import type { ConfigLogger } from './parseConfig';

/**
 * Options of the `build*` functions.
 *
 * @public
 */
export interface BuildOptions {
  /**
   * The file name in problems.
   * @defaultValue the file the section was parsed from (by `parseConfig`/`loadConfig`), else `'<config>'`
   */
  source?: string;
  /**
   * The section's place in its document, in front of problems' paths
   * (`YourApp.RegionalAccountSet`).
   * @defaultValue the section's name
   */
  path?: string;
  /**
   * Given to the factories for the objects they create (a cached object keeps the logger it was
   * created with).
   * @defaultValue none
   */
  logger?: ConfigLogger;
  /**
   * Loads `@cs/ratelimit-redis` for a `RateLimit` with `store: { redis: { url, key } }` (a seam
   * for tests and bundlers: return the module, or throw an error with code `MODULE_NOT_FOUND`
   * to stand for a missing package). Called by each build of a section that has a store.
   * @defaultValue `require('@cs/ratelimit-redis')`, resolved from `@cs/config`'s own location
   */
  loadRateLimitRedis?: () => unknown;
}

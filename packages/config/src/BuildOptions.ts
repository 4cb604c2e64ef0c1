import type { ServiceModuleLoader } from '@cs/regional';
import type { Logger } from '@cs/session';

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
  logger?: Logger;
  /**
   * Loads `@cs/ratelimit-redis` for a `RateLimit` with `store: { redis: { url, key } }` (a seam
   * for tests and bundlers: return the module, or throw an error with code `MODULE_NOT_FOUND`
   * to stand for a missing package). Called by each build of a section that has a store.
   * @defaultValue `require('@cs/ratelimit-redis')`, resolved from `@cs/config`'s own location
   */
  loadRateLimitRedis?: () => unknown;
  /**
   * How the RegionalAccounts the builders create load `@aws-sdk/client-<service>` for
   * `callClient` and `paginate` (the `loadServiceModule` option of `@cs/regional`): a seam for
   * pnpm's strict layout, where `@cs/regional` cannot see the application's SDK packages, and for
   * bundlers that need a static map of them. Given to every RegionalAccount the builder creates,
   * the ones of the members of an `Organization` and of its Organizations calls too. Like the
   * logger, it applies when a RegionalAccount is first created: a cached one keeps the loader it
   * was created with.
   * @defaultValue the runtime's `import()`, from `@cs/regional`'s location
   * @example
   * ```ts
   * const ra = buildRegionalAccount(section, {
   *   loadServiceModule: (name) => import(name), // resolved from the application's location
   * });
   * ```
   */
  loadServiceModule?: ServiceModuleLoader;
}

import type { RegionalAccounts } from '@cs/regional';
import { regionalAccountsFactory } from '@cs/regional';
import type { BuildOptions } from './BuildOptions';
import {
  buildSafely,
  organizationProblems,
  throwIfAny,
  validateForBuild,
} from './build/buildSafely';
import { storeOptions } from './build/redisStores';
import type { RegionalAccountsConfig } from './types';

/**
 * Builds a `RegionalAccounts` section (one account in the regions of its `Filter`) through
 * `regionalAccountsFactory` of `@cs/regional`: the same section gives the same cached container,
 * whose RegionalAccounts are shared with every other container of the same account and region.
 * Makes no AWS call (with `Filter.Discover`, call `await container.discover()` before reading it).
 *
 * @param section - a `RegionalAccounts` section with an `Account`, validated here.
 * A `RateLimit` with `store: { redis: { url, key } }` gets a store of `@cs/ratelimit-redis`, opened
 * for each region when its RegionalAccount is first built, and closed by
 * {@link closeConfiguredStores}.
 *
 * @param options - `source`, `path`, `logger`, `loadRateLimitRedis`, `loadServiceModule`.
 * @returns the cached container.
 * @throws {@link ConfigError} with every problem of the section (an unknown region of the filter
 * too), at its file, path and line; an `Organization` section needs
 * {@link buildRegionalAccountSetFromOrganization}.
 * @example
 * ```ts
 * const container = buildRegionalAccounts({ Account: {}, Filter: { Partitions: { aws: { Regions: { include: ['eu-*'] } } } } });
 * console.log([...container.keys()]);
 * ```
 * @public
 */
export function buildRegionalAccounts(
  section: RegionalAccountsConfig,
  options: BuildOptions = {},
): RegionalAccounts {
  const { value, site } = validateForBuild('RegionalAccounts', section, options);
  throwIfAny(organizationProblems(value, site));
  const { problems, factoryOptions } = storeOptions(site, options);
  throwIfAny(problems);
  return buildSafely(site, () => regionalAccountsFactory(value, factoryOptions));
}

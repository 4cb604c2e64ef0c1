import type { RegionalAccount, RegionalAccountSpec } from '@cs/regional';
import { regionalAccountFactory } from '@cs/regional';
import type { BuildOptions } from './BuildOptions';
import { buildSafely, throwIfAny, validateForBuild } from './build/buildSafely';
import { storeOptions } from './build/redisStores';
import type { RegionalAccountConfig } from './types';

/** The factory's spec of a validated section: `region` is spelt `region_name` there. */
function regionalAccountSpecOf(section: RegionalAccountConfig): RegionalAccountSpec {
  const { region, ...rest } = section;
  return region === undefined ? rest : { ...rest, region_name: region };
}

/**
 * Builds a `RegionalAccount` section through `regionalAccountFactory` of `@cs/regional`: the same
 * section gives the same cached `RegionalAccount`, and so the same rate limit. Makes no AWS call.
 *
 * @param section - a `RegionalAccount` section, validated here.
 * A `RateLimit` (or `RateLimitOperationSpec` value) with `store: { redis: { url, key } }` gets a
 * store of `@cs/ratelimit-redis` (an optional peer dependency), which
 * {@link closeConfiguredStores} closes.
 *
 * @param options - `source`, `path`, `logger`, `loadRateLimitRedis`, `loadServiceModule`.
 * @returns the cached regional account.
 * @throws {@link ConfigError} with every problem of the section at its file, path and line (a
 * store without `key`, or `@cs/ratelimit-redis` not installed, too).
 * @example
 * ```ts
 * const ra = buildRegionalAccount({ Account: {}, region_name: 'eu-west-1', RateLimit: { max_count: 5, interval: 1 } });
 * ```
 * @public
 */
export function buildRegionalAccount(
  section: RegionalAccountConfig,
  options: BuildOptions = {},
): RegionalAccount {
  const { value, site } = validateForBuild('RegionalAccount', section, options);
  const { problems, factoryOptions } = storeOptions(site, options);
  throwIfAny(problems);
  return buildSafely(site, () =>
    regionalAccountFactory(regionalAccountSpecOf(value), factoryOptions),
  );
}

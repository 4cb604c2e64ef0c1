import type { RegionalAccountSet } from '@cs/regional';
import { regionalAccountSetFromOrganization } from '@cs/regional';
import type { BuildOptions } from './BuildOptions';
import { ConfigError } from './errors';
import { problemsOfError, throwIfAny, validateForBuild } from './build/buildSafely';
import { storeOptions } from './build/redisStores';
import type { RegionalAccountSetConfig } from './types';

// Errors that say the configuration is wrong (they become ConfigErrors); anything else (AWS
// refusing to list the organisation, say) is passed through unchanged.
const CONFIGURATION_ERRORS =
  /(SpecError|FilterError|ConfigError|ParametersError|RegionRequiredError|EndpointConfigError)$/;

/**
 * Builds a `RegionalAccountSet` section whose entries may take their accounts from AWS
 * Organizations (`Organization` in place of `Account`): the members are listed through AWS (the
 * one builder that calls AWS, hence asynchronous), suspended members are reported `skipped` by
 * every fan-out, and each active member is reached by assuming `RoleName`. Entries with an
 * `Account` are built as by {@link buildRegionalAccountSet}.
 *
 * @param section - a `RegionalAccountSet` section, validated here.
 * A `RateLimit` with `store: { redis: { url, key } }` gets a store of `@cs/ratelimit-redis`, as
 * with {@link buildRegionalAccountSet}: opened for each member and region when its RegionalAccount
 * is first built (so every member naming the key shares one budget), and closed by
 * {@link closeConfiguredStores}.
 *
 * @param options - `source`, `path`, `logger`, `loadRateLimitRedis`, `loadServiceModule` (the
 * last also loads `@aws-sdk/client-organizations` for the listing).
 * @returns a new set.
 * @throws {@link ConfigError} for problems of the section (a store without `key`, or
 * `@cs/ratelimit-redis` not installed, too); the AWS error (an `AwsClientError`) when the
 * organisation cannot be listed.
 * @example
 * ```ts
 * const set = await buildRegionalAccountSetFromOrganization(getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'));
 * ```
 * @public
 */
export async function buildRegionalAccountSetFromOrganization(
  section: RegionalAccountSetConfig,
  options: BuildOptions = {},
): Promise<RegionalAccountSet> {
  const { value, site } = validateForBuild('RegionalAccountSet', section, options);
  const { problems, factoryOptions } = storeOptions(site, options);
  throwIfAny(problems);
  try {
    return await regionalAccountSetFromOrganization(...value, factoryOptions);
  } catch (error) {
    if (error instanceof Error && CONFIGURATION_ERRORS.test(error.name)) {
      throw new ConfigError(problemsOfError(error, site), { cause: error });
    }
    throw error;
  }
}

import type { RegionalAccounts } from '@cs/regional';
import { RegionalAccountSet, regionalAccountsFactory } from '@cs/regional';
import type { BuildOptions } from './BuildOptions';
import type { ConfigProblem } from './errors';
import { ConfigError } from './errors';
import {
  organizationProblems,
  problemsOfError,
  siteOf,
  throwIfAny,
  validateForBuild,
} from './build/buildSafely';
import { storeOptions } from './build/redisStores';
import type { RegionalAccountSetConfig } from './types';

/**
 * Builds a `RegionalAccountSet` section (a list of `{ RegionalAccounts }`): a new set (not cached)
 * of the containers from `regionalAccountsFactory` (cached), so that a region of an account named
 * twice is one target. Every entry is checked before anything is returned; makes no AWS call.
 *
 * @param section - a `RegionalAccountSet` section whose entries have an `Account`, validated here.
 * A `RateLimit` with `store: { redis: { url, key } }` gets a store of `@cs/ratelimit-redis`, opened
 * for each region when its RegionalAccount is first built, and closed by
 * {@link closeConfiguredStores}.
 *
 * @param options - `source`, `path`, `logger`, `loadRateLimitRedis`, `loadServiceModule`.
 * @returns a new set, ready for `set.map(fn)`.
 * @throws {@link ConfigError} with every problem of every entry, at its file, path and line; an
 * entry with an `Organization` needs {@link buildRegionalAccountSetFromOrganization}.
 * @example
 * ```ts
 * const config = await loadConfig('cs-aws.yaml');
 * const set = buildRegionalAccountSet(getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'));
 * const report = await set.map((ra) => ra.callClient('sts', 'GetCallerIdentity'));
 * ```
 * @public
 */
export function buildRegionalAccountSet(
  section: RegionalAccountSetConfig,
  options: BuildOptions = {},
): RegionalAccountSet {
  const { value, site } = validateForBuild('RegionalAccountSet', section, options);
  throwIfAny(
    value.flatMap((entry, i) =>
      organizationProblems(entry.RegionalAccounts, siteOf(site, [i, 'RegionalAccounts'])),
    ),
  );
  const { problems: storeProblems, factoryOptions } = storeOptions(site, options);
  throwIfAny(storeProblems);
  const containers: RegionalAccounts[] = [];
  const problems: ConfigProblem[] = [];
  let firstError: unknown;
  value.forEach((entry, i) => {
    try {
      containers.push(regionalAccountsFactory(entry.RegionalAccounts, factoryOptions));
    } catch (error) {
      firstError ??= error;
      problems.push(...problemsOfError(error, siteOf(site, [i, 'RegionalAccounts'])));
    }
  });
  if (problems.length > 0) throw new ConfigError(problems, { cause: firstError });
  return new RegionalAccountSet(...containers);
}

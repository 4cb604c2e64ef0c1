/**
 * The asynchronous builder of a RegionalAccountSet whose accounts may come from AWS Organizations.
 */

import { AccountNotActiveError } from './errors';
import type { OrganizationSpec } from './OrganizationAccounts';
import { OrganizationAccounts } from './OrganizationAccounts';
import { RegionalAccountSet } from '../fanout/RegionalAccountSet';
import type { RegionalAccountsSpec } from '../regions/RegionalAccounts';
import type { RegionalAccountFactoryOptions } from '../account/regionalAccountFactory';
import { regionalAccountsFactory } from '../regions/regionalAccountsFactory';
import { resolveRegions } from '../regions/resolveRegions';
import { hintIdentity } from '../fanout/identity';

/**
 * A RegionalAccounts spec whose accounts are the members of an organisation: `Organization` in
 * place of `Account`.
 *
 * @public
 */
export interface OrganizationRegionalAccountsSpec extends Omit<RegionalAccountsSpec, 'Account'> {
  /** Where the accounts come from (see {@link OrganizationSpec}). */
  Organization: OrganizationSpec;
}

/** One entry of {@link regionalAccountSetFromOrganization}. @public */
export interface OrganizationSetSpec {
  /** A RegionalAccounts spec with `Account` or with `Organization`. */
  RegionalAccounts: RegionalAccountsSpec | OrganizationRegionalAccountsSpec;
}

/**
 * The keys that make an argument a spec: the last argument is the factory options only when it
 * has none of them. A typed spec always has `RegionalAccounts` or `Organization`; the others keep
 * a bare container spec without `Organization` (which untyped callers could always pass) a spec.
 */
const SPEC_KEYS = [
  'RegionalAccounts',
  'Organization',
  'Account',
  'Filter',
  'RateLimit',
  'RateLimitRegionSpec',
  'RateLimitOperationSpec',
  'Adaptive',
  'MaxAttempts',
  'service',
] as const;

/** Whether the last argument is the factory options rather than a spec. */
const isFactoryOptions = (value: unknown): value is RegionalAccountFactoryOptions =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !SPEC_KEYS.some((key) => key in value);

/**
 * Builds a new {@link RegionalAccountSet} from specs whose accounts are fixed (`Account`, as for
 * {@link regionalAccountSetFactory}) or the members of an organisation (`Organization`): the
 * members are listed (asynchronously, hence this builder), and each active member gets a
 * container (from {@link regionalAccountsFactory}, cached) of the same `Filter`, limits and
 * `service`, its Account reached by assuming the role. Suspended (or closing) members are recorded
 * with {@link RegionalAccountSet.addSkippedAccount}, so that every fan-out reports them `skipped`
 * (errorClass `account-not-active`) in each region of the filter. Results of member accounts carry
 * the account's name in the organisation as `alias`.
 *
 * @param specs - each `{ RegionalAccounts: { Organization | Account, Filter, RateLimit, ... } }`
 * @returns a new set
 * @throws {@link OrganizationSpecError}, {@link RegionFilterError}, or an {@link AwsClientError}
 *   when the organisation cannot be listed
 * @example
 * ```ts
 * const set = await regionalAccountSetFromOrganization({
 *   RegionalAccounts: {
 *     Organization: { Account: { SessionParameters: { profile_name: 'mgmt' } }, exclude: ['sandbox-*'] },
 *     Filter: { Partitions: { aws: { Regions: { include: ['eu-*'] } } } },
 *   },
 * });
 * const report = await set.map((ra) => ra.callClient('sts', 'GetCallerIdentity'));
 * ```
 * @public
 */
export function regionalAccountSetFromOrganization(
  ...specs: (OrganizationSetSpec | OrganizationRegionalAccountsSpec)[]
): Promise<RegionalAccountSet>;
/**
 * Builds a new {@link RegionalAccountSet} as the other signature does, with the factory options
 * (those of {@link regionalAccountFactory}: `createRateLimit`, `loadServiceModule`, `logger`,
 * `clock`, `clientCacheSize`) as the LAST argument, after every spec. They are given to
 * {@link regionalAccountsFactory} for every container (so to each RegionalAccount it creates) and
 * to the {@link OrganizationAccounts} that lists the members (so to the RegionalAccount of the
 * Organizations calls). As with the factories, they apply when an object is first created: a
 * container or RegionalAccount already cached for the same spec keeps the options it was created
 * with. The last argument counts as the options when it has none of a spec's keys
 * (`RegionalAccounts`, `Organization`, `Account`, `Filter`, `RateLimit`, ...), so `{}` is empty
 * options.
 *
 * @param specsAndOptions - the specs, as for the other signature, then the factory options
 * @returns a new set
 * @throws {@link OrganizationSpecError}, {@link RegionFilterError}, or an {@link AwsClientError}
 *   when the organisation cannot be listed; `RateLimitConfigError` for a `RateLimit` with a
 *   `store` and no `createRateLimit`
 * @example
 * ```ts
 * const set = await regionalAccountSetFromOrganization(
 *   { RegionalAccounts: { Organization: { Account: { SessionParameters: { profile_name: 'mgmt' } } } } },
 *   { loadServiceModule: (name) => import(name) },
 * );
 * ```
 * @public
 */
export function regionalAccountSetFromOrganization(
  ...specsAndOptions: [
    ...specs: (OrganizationSetSpec | OrganizationRegionalAccountsSpec)[],
    options: RegionalAccountFactoryOptions,
  ]
): Promise<RegionalAccountSet>;
export async function regionalAccountSetFromOrganization(
  ...args: (
    OrganizationSetSpec | OrganizationRegionalAccountsSpec | RegionalAccountFactoryOptions
  )[]
): Promise<RegionalAccountSet> {
  const last = args.at(-1);
  const options: RegionalAccountFactoryOptions = isFactoryOptions(last) ? last : {};
  const specs = (isFactoryOptions(last) ? args.slice(0, -1) : args) as (
    OrganizationSetSpec | OrganizationRegionalAccountsSpec
  )[];
  const set = new RegionalAccountSet();
  for (const entry of specs) {
    const spec = 'RegionalAccounts' in entry ? entry.RegionalAccounts : entry;
    if (!('Organization' in spec)) {
      set.add(regionalAccountsFactory(spec, options));
      continue;
    }
    const { Organization, ...rest } = spec;
    const source = new OrganizationAccounts(Organization, options);
    const members = await source.members();
    const regions = rest.Filter?.Discover === true ? undefined : resolveRegions(rest.Filter);
    for (const member of members) {
      if (member.accountSpec === undefined || member.account === undefined) {
        set.addSkippedAccount({
          accountId: member.id,
          alias: member.name ?? member.id,
          ...(regions === undefined ? {} : { regions }),
          error: new AccountNotActiveError(member.id, member.name, member.status),
          errorClass: 'account-not-active',
        });
        continue;
      }
      const container = regionalAccountsFactory({ ...rest, Account: member.accountSpec }, options);
      hintIdentity(container.account(), { accountId: member.id, alias: member.name ?? member.id });
      set.add(container);
    }
  }
  return set;
}

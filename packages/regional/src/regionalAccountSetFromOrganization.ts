/**
 * The asynchronous builder of a RegionalAccountSet whose accounts may come from AWS Organizations.
 */

import { AccountNotActiveError } from './errors';
import type { OrganizationSpec } from './OrganizationAccounts';
import { OrganizationAccounts } from './OrganizationAccounts';
import { RegionalAccountSet } from './RegionalAccountSet';
import type { RegionalAccountsSpec } from './RegionalAccounts';
import { regionalAccountsFactory } from './regionalAccountsFactory';
import { resolveRegions } from './resolveRegions';
import { hintIdentity } from './internal/identity';

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
export const regionalAccountSetFromOrganization = async (
  ...specs: (OrganizationSetSpec | OrganizationRegionalAccountsSpec)[]
): Promise<RegionalAccountSet> => {
  const set = new RegionalAccountSet();
  for (const entry of specs) {
    const spec = 'RegionalAccounts' in entry ? entry.RegionalAccounts : entry;
    if (!('Organization' in spec)) {
      set.add(regionalAccountsFactory(spec));
      continue;
    }
    const { Organization, ...rest } = spec;
    const source = new OrganizationAccounts(Organization);
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
      const container = regionalAccountsFactory({ ...rest, Account: member.accountSpec });
      hintIdentity(container.account(), { accountId: member.id, alias: member.name ?? member.id });
      set.add(container);
    }
  }
  return set;
};

/**
 * The targets of a run, as the producer expands them once: fixed accounts in their filter's
 * regions, the members of an organisation (listed through the management account), and the
 * regions an account has enabled (`Filter.Discover`, asked through EC2 `DescribeRegions`). A target
 * travels as a reference (entry, member account id, region); a target known without running
 * anything (a suspended member, a failed discovery) has its outcome at once, as in-process.
 */

import { buildRegionalAccounts } from '@cs/config';
import type { BuildOptions, RegionalAccountsConfig, RegionalAccountSetConfig } from '@cs/config';
import {
  AccountNotActiveError,
  classifyError,
  OrganizationAccounts,
  resolveRegions,
} from '@cs/regional';
import type {
  OrganizationMember,
  OrganizationSpec,
  RegionalAccountFactoryOptions,
  RegionalAccountsFilter,
  ServiceModuleLoader,
} from '@cs/regional';
import { canonicalKey } from '@cs/session';
import type { WireResult } from './protocol';

/** One target, by reference: the entry of the section, the member account (an organisation's) and the region. @internal */
export interface TargetRef {
  readonly entry: number;
  readonly region: string;
  /** The member's account id, for an entry whose accounts come from an organisation. */
  readonly account?: string;
}

/** A target whose outcome is known without running it (its region may be unknown). @internal */
export interface KnownOutcome {
  readonly entry: number;
  readonly outcome: Omit<WireResult, 'd'>;
}

/** The targets of a section and the outcomes known before any job. @internal */
export interface Expanded {
  readonly targets: TargetRef[];
  readonly known: KnownOutcome[];
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

/** What the producer and the workers need to build and list through AWS. @internal */
export interface ExpandOptions {
  readonly source: string;
  readonly loadServiceModule?: ServiceModuleLoader | undefined;
}

const factoryOptions = (options: ExpandOptions): RegionalAccountFactoryOptions =>
  options.loadServiceModule === undefined ? {} : { loadServiceModule: options.loadServiceModule };

/** The members of an organisation entry (the worker lists them again to check a job's member). @internal */
export function listMembers(
  entry: RegionalAccountsConfig,
  options: Pick<ExpandOptions, 'loadServiceModule'>,
): Promise<OrganizationMember[]> {
  return new OrganizationAccounts(
    entry.Organization as OrganizationSpec,
    factoryOptions({ source: '', ...options }),
  ).members();
}

/** An organisation entry as a fixed entry for one member: its `Account` is the member's. @internal */
export function memberEntry(
  entry: RegionalAccountsConfig,
  member: OrganizationMember,
): RegionalAccountsConfig {
  const { Organization: _organization, ...rest } = entry;
  return { ...rest, Account: member.accountSpec } as RegionalAccountsConfig;
}

/**
 * Expands a section's targets in the order a `RegionalAccountSet` runs them, a region of the same
 * account and limits named by two entries once. Lists each organisation and discovers each
 * discovery-mode account's regions once (AWS calls, through the caching builders).
 *
 * @internal
 */
export async function expandTargets(
  section: RegionalAccountSetConfig,
  path: string,
  options: ExpandOptions,
): Promise<Expanded> {
  const seen = new Set<string>();
  const targets: TargetRef[] = [];
  const known: KnownOutcome[] = [];
  const add = (
    i: number,
    entry: RegionalAccountsConfig,
    regions: readonly string[],
    account?: string,
  ): void => {
    const { Filter: _filter, RateLimitRegionSpec: perRegion, Organization: _org, ...rest } = entry;
    for (const region of regions) {
      // regionalAccountFactory's identity: the same account, limits and region is one target.
      const key = canonicalKey({
        ...rest,
        RateLimit: perRegion?.[region] ?? rest.RateLimit,
        region,
      });
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ entry: i, region, ...(account === undefined ? {} : { account }) });
    }
  };
  /** The entry's regions: its filter's, or those the account has enabled (one AWS call). */
  const regionsOf = async (
    i: number,
    entry: RegionalAccountsConfig,
    identity: { accountId?: string; alias?: string },
  ): Promise<readonly string[] | undefined> => {
    const filter = entry.Filter as RegionalAccountsFilter | undefined;
    if (filter?.Discover !== true) return resolveRegions(filter);
    // One DescribeRegions call per account: without the entry's limits, so that the producer
    // opens no rate-limit store (a Redis one would hold its process open) for it.
    const {
      RateLimit: _limit,
      RateLimitRegionSpec: _perRegion,
      RateLimitOperationSpec: _perOperation,
      ...bare
    } = entry;
    const container = buildRegionalAccounts(bare, {
      source: options.source,
      path: `${path}[${i}].RegionalAccounts`,
      ...(options.loadServiceModule === undefined
        ? {}
        : { loadServiceModule: options.loadServiceModule }),
    } satisfies BuildOptions);
    try {
      await container.discover();
      return [...container.keys()];
    } catch (error) {
      // As in-process: the container is one failed target, without a region.
      known.push({
        entry: i,
        outcome: {
          s: 'failed',
          ...(identity.accountId === undefined ? {} : { a: identity.accountId }),
          ...(identity.alias === undefined ? {} : { l: identity.alias }),
          c: classifyError(error).errorClass,
          n: nameOf(error),
          m: messageOf(error),
        },
      });
      return undefined;
    }
  };

  for (const [i, { RegionalAccounts: entry }] of section.entries()) {
    if (entry.Organization === undefined) {
      const regions = await regionsOf(i, entry, {});
      if (regions !== undefined) add(i, entry, regions);
      continue;
    }
    const discover = (entry.Filter as RegionalAccountsFilter | undefined)?.Discover === true;
    for (const member of await listMembers(entry, options)) {
      const alias = member.name ?? member.id;
      if (member.accountSpec === undefined) {
        // Suspended or closing: skipped in each region of the filter, never called.
        const regions: readonly (string | undefined)[] = discover
          ? [undefined]
          : resolveRegions(entry.Filter);
        for (const region of regions) {
          known.push({
            entry: i,
            outcome: {
              s: 'skipped',
              a: member.id,
              l: alias,
              ...(region === undefined ? {} : { r: region }),
              c: 'account-not-active',
              n: 'AccountNotActiveError',
              m: new AccountNotActiveError(member.id, member.name, member.status).message,
            },
          });
        }
        continue;
      }
      const fixed = memberEntry(entry, member);
      const regions = await regionsOf(i, fixed, { accountId: member.id, alias });
      if (regions !== undefined) add(i, fixed, regions, member.id);
    }
  }
  return { targets, known };
}

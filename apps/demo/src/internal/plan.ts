/**
 * `cs-aws targets` without `--resolve`: the plan of what the configuration resolves to, read from
 * the configuration alone, with no AWS call.
 */

import type { RegionalAccountSetConfig } from '@cs/config';
import { resolveRegions } from '@cs/regional';
import type { TargetPatterns } from './selection';
import type { TargetResult } from './TargetResult';

type Entry = RegionalAccountSetConfig[number]['RegionalAccounts'];
type AccountSpec = {
  SessionParameters?: Record<string, unknown>;
  AssumeRole?: { RoleArn?: string };
  AssumeRoles?: { RoleArn?: string }[];
};

const ROLE_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):role\//;

/** Where the account's credentials come from, as a reader would say it. */
const credentialSource = (account: AccountSpec | undefined): string => {
  const roles = [
    ...(account?.AssumeRole === undefined ? [] : [account.AssumeRole]),
    ...(account?.AssumeRoles ?? []),
  ];
  const last = roles.at(-1)?.RoleArn;
  if (last !== undefined) return `role ${last}${roles.length > 1 ? ` (${roles.length} hops)` : ''}`;
  const session = account?.SessionParameters ?? {};
  if (session.aws_access_key_id !== undefined || session.accessKeyId !== undefined)
    return 'access key';
  const profile = session.profile_name ?? session.profile;
  if (typeof profile === 'string') return `profile ${profile}`;
  return 'the default credential chain';
};

/** The account id a spec names without a call: the last role's, if any. */
const knownAccountId = (account: AccountSpec | undefined): string | undefined => {
  const roles = [
    ...(account?.AssumeRole === undefined ? [] : [account.AssumeRole]),
    ...(account?.AssumeRoles ?? []),
  ];
  const arn = roles.at(-1)?.RoleArn;
  return arn === undefined ? undefined : ROLE_ACCOUNT.exec(arn)?.[1];
};

const rateLimitText = (spec: unknown): string => {
  if (typeof spec !== 'object' || spec === null) return 'unlimited';
  const { max_count: count, interval } = spec as {
    max_count?: number | string;
    interval?: number | string;
  };
  if (count === undefined || count === 0) return 'unlimited';
  const per = typeof interval === 'number' ? `${interval}s` : (interval ?? '1s');
  return `${count}/${per}`;
};

/**
 * The planned targets of a section: one per account (named by configuration) and region. An
 * `Organization` entry is one row per region, its members being known only by listing them
 * (`--resolve`); a `Filter` in discovery mode is one row without a region.
 *
 * @param section - the `RegionalAccountSet` section, with the command line applied
 * @param patterns - `--regions` (and `--accounts`, for the account ids the plan knows)
 * @internal
 */
export function planTargets(
  section: RegionalAccountSetConfig,
  patterns: TargetPatterns,
): TargetResult[] {
  const rows: TargetResult[] = [];
  const seen = new Set<string>();
  for (const { RegionalAccounts: entry } of section) {
    const spec: Entry & {
      Organization?: { Account?: AccountSpec; RoleName?: string };
      Account?: AccountSpec;
      Filter?: Parameters<typeof resolveRegions>[0] & { Discover?: boolean };
    } = entry;
    const regions: (string | undefined)[] =
      spec.Filter?.Discover === true ? [undefined] : resolveRegions(spec.Filter);
    const organization = spec.Organization;
    const accountId = organization === undefined ? knownAccountId(spec.Account) : undefined;
    const source =
      organization === undefined
        ? credentialSource(spec.Account)
        : `organization members, through ${organization.RoleName ?? 'OrganizationAccountAccessRole'} from ${credentialSource(organization.Account)} (--resolve lists them)`;
    for (const region of regions) {
      const alias = organization === undefined ? undefined : '(organization)';
      if (!patterns.keeps({ accountId, alias: undefined, region })) continue;
      const key = `${source}|${region ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        accountId,
        alias,
        region: region ?? '(discovered when run)',
        status: 'succeeded',
        durationMs: 0,
        value: { credentials: source, rateLimit: rateLimitText(spec.RateLimit) },
      });
    }
  }
  return rows;
}

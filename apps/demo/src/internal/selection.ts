/**
 * What the command line changes in what a configuration resolves to: `--profile` and
 * `--max-attempts` (applied to a copy of the configuration's section), `--accounts` and
 * `--regions` (a narrowed view of the set), and the global services called once per account.
 */

import type { RegionalAccountSetConfig } from '@cs/config';
import type { RegionalAccountSet, TargetIdentity } from '@cs/regional';
import { UsageError } from '../errors';

/**
 * The SDK service ids whose endpoint is the same in every region of a partition: called once per
 * account, at the partition's global pseudo-region.
 *
 * @internal
 */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set([
  'iam',
  'organizations',
  'route-53',
  'route-53-domains',
  'cloudfront',
  'waf',
  'shield',
  'budgets',
  'cost-explorer',
  'global-accelerator',
]);

const CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'accessKeyId',
  'profile_name',
  'profile',
  'credentials',
] as const;

type Section = RegionalAccountSetConfig;
type Entry = Section[number];
type Accountish = { SessionParameters?: Record<string, unknown> } & Record<string, unknown>;

/** An account spec whose session names no credentials, given the profile. */
const withProfile = (account: Accountish | undefined, profile: string): Accountish => {
  const session = account?.SessionParameters ?? {};
  if (CREDENTIAL_KEYS.some((key) => session[key] !== undefined)) return account ?? {};
  return { ...account, SessionParameters: { ...session, profile_name: profile } };
};

/**
 * A copy of the section with `--profile` (the profile of every session that names no
 * credentials) and `--max-attempts` (every container's `MaxAttempts`) applied; the section given
 * is left as it was.
 *
 * @internal
 */
export const applyCommandLine = (
  section: Section,
  options: { profile: string | undefined; maxAttempts: number | undefined },
): Section =>
  section.map((entry): Entry => {
    const spec = { ...entry.RegionalAccounts } as Record<string, unknown>;
    if (options.maxAttempts !== undefined) spec.MaxAttempts = options.maxAttempts;
    if (options.profile !== undefined) {
      if (spec.Organization !== undefined) {
        const organization = spec.Organization as { Account?: Accountish };
        spec.Organization = {
          ...organization,
          Account: withProfile(organization.Account, options.profile),
        };
      } else {
        spec.Account = withProfile(spec.Account as Accountish | undefined, options.profile);
      }
    }
    return { ...entry, RegionalAccounts: spec } as unknown as Entry;
  });

/** The anchored regular expression of a shell-style glob (`*`, `?`). @internal */
export const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${[...pattern]
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('')}$`,
    'i',
  );

/** Compiled `--accounts` and `--regions` patterns, with what each matched. @internal */
export class TargetPatterns {
  readonly #accounts: [string, RegExp][];
  readonly #regions: [string, RegExp][];
  readonly #matched = new Set<string>();

  constructor(accounts: readonly string[], regions: readonly string[]) {
    this.#accounts = accounts.map((p) => [p, globToRegExp(p)]);
    this.#regions = regions.map((p) => [p, globToRegExp(p)]);
  }

  /** Whether there is anything to narrow. */
  get active(): boolean {
    return this.#accounts.length > 0 || this.#regions.length > 0;
  }

  /** Whether there are account patterns (they need the accounts' ids and aliases). */
  get byAccount(): boolean {
    return this.#accounts.length > 0;
  }

  /**
   * Whether a target passes both lists. A target whose account is not known (its identity could
   * not be read) passes the account list, so that its failure is reported rather than hidden.
   */
  keeps(target: TargetIdentity): boolean {
    let account = this.#accounts.length === 0 || target.accountId === undefined;
    for (const [pattern, re] of this.#accounts) {
      if (
        (target.accountId !== undefined && re.test(target.accountId)) ||
        (target.alias !== undefined && re.test(target.alias))
      ) {
        this.#matched.add(`a:${pattern}`);
        account = true;
      }
    }
    let region = this.#regions.length === 0 || target.region === undefined;
    for (const [pattern, re] of this.#regions) {
      if (target.region !== undefined && re.test(target.region)) {
        this.#matched.add(`r:${pattern}`);
        region = true;
      }
    }
    return account && region;
  }

  /**
   * Throws a {@link UsageError} naming every pattern that matched no target.
   *
   * @param where - what the targets come from, for the message
   */
  checkAllMatched(where: string): void {
    const unmatched = [
      ...this.#accounts
        .filter(([p]) => !this.#matched.has(`a:${p}`))
        .map(([p]) => `--accounts ${p}`),
      ...this.#regions.filter(([p]) => !this.#matched.has(`r:${p}`)).map(([p]) => `--regions ${p}`),
    ];
    if (unmatched.length > 0) {
      throw new UsageError(
        `${unmatched.join(', ')}: no target of ${where} matches (cs-aws targets --resolve lists the account ids, aliases and regions)`,
      );
    }
  }
}

/**
 * The set narrowed to `--accounts` and `--regions` (ids and aliases are read first when accounts
 * are selected), with every pattern checked to match a target.
 *
 * @internal
 */
export async function narrowToPatterns(
  set: RegionalAccountSet,
  patterns: TargetPatterns,
  where: string,
  signal: AbortSignal | undefined,
): Promise<RegionalAccountSet> {
  if (!patterns.active) return set;
  if (patterns.byAccount) {
    await set.identify(signal === undefined ? {} : { signal });
  }
  const narrowed = set.narrow((target) => patterns.keeps(target));
  // Walk every target once, the skipped accounts too, so that each pattern's matches are known.
  for (const _ of narrowed) {
    // counting only
  }
  for (const skipped of set.skippedAccounts()) {
    for (const region of skipped.regions ?? [undefined]) {
      patterns.keeps({ accountId: skipped.accountId, alias: skipped.alias, region });
    }
  }
  patterns.checkAllMatched(where);
  return narrowed;
}

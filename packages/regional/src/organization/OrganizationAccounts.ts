/**
 * An account source that lists the member accounts of an AWS organisation and builds, for each,
 * the Account reached by assuming a named role from the management (or delegated) account.
 */

import { accountFactory } from '@cs/account';
import type { Account } from '@cs/account';
import type { RateLimitSpec } from '@cs/ratelimit';
import { OrganizationSpecError } from './errors';
import type { RegionalAccount } from '../account/RegionalAccount';
import { regionalAccountFactory } from '../account/regionalAccountFactory';
import type { RegionalAccountFactoryOptions } from '../account/regionalAccountFactory';
import { globToRegExp } from '../internal/glob';

/** The account spec `accountFactory` takes. @public */
export type AccountSpec = NonNullable<Parameters<typeof accountFactory>[0]>;

/**
 * Where the member accounts come from, with the original's section names.
 *
 * @example
 * ```ts
 * const Organization: OrganizationSpec = {
 *   Account: { SessionParameters: { profile_name: 'management' } },
 *   RoleName: 'OrganizationAccountAccessRole',
 *   OUs: ['ou-ab12-workload', 'Sandbox/Team-A'],
 *   exclude: ['111111111111', 'legacy-*'],
 * };
 * ```
 * @public
 */
export interface OrganizationSpec {
  /** The management (or delegated administrator) account, as `accountFactory` takes it. */
  Account: AccountSpec;
  /**
   * The role assumed in each member account.
   * @defaultValue `'OrganizationAccountAccessRole'`
   */
  RoleName?: string;
  /**
   * The external id the member roles require.
   * @defaultValue none
   */
  ExternalId?: string;
  /**
   * The session name of the assumed roles.
   * @defaultValue `'cs-aws-organization'`
   */
  RoleSessionName?: string;
  /**
   * Only the accounts under these organisational units, recursively: OU or root ids
   * (`ou-ab12-34cd56ef`, `r-ab12`) or paths of OU names from the root (`Workloads/Sandbox`).
   * @defaultValue every account of the organisation (`ListAccounts`)
   */
  OUs?: readonly string[];
  /**
   * Keep only the accounts whose id or name matches an entry (globs `*`, `?` allowed).
   * @defaultValue every account
   */
  include?: readonly string[];
  /**
   * Drop the accounts whose id or name matches an entry (globs allowed); wins over `include`.
   * @defaultValue none
   */
  exclude?: readonly string[];
  /**
   * The limit of the Organizations calls (its API limits are low).
   * @defaultValue `{ max_count: 2, interval: 1, block: true }` (2 calls per second, waiting)
   */
  RateLimit?: RateLimitSpec;
  /**
   * The region of the Organizations calls.
   * @defaultValue the management account's session region, else `us-east-1`
   */
  region_name?: string;
  /**
   * Keep only the accounts that carry every one of these tags (the value may be a glob: `*`,
   * `?`), read with `ListTagsForResource`: one call per listed account, cached for the life of
   * the source and rate-limited like every Organizations call.
   * @defaultValue no tag condition (no `ListTagsForResource` call)
   */
  Tags?: Readonly<Record<string, string>>;
  /**
   * Drop the accounts under these organisational units, recursively: OU ids (`ou-...`) or paths
   * of OU names from the root (`Workloads/Sandbox`). Wins over `OUs` and `include`.
   * @defaultValue none
   */
  ExcludeOUs?: readonly string[];
  /**
   * Leave out the organisation's management account (read with `DescribeOrganization`).
   * @defaultValue `false`
   */
  ExcludeManagementAccount?: boolean;
  /**
   * A session policy (JSON text) passed to `AssumeRole` of every member role: the member
   * credentials may do at most what it allows.
   * @defaultValue none
   */
  Policy?: string;
  /**
   * Managed session policies passed to `AssumeRole` of every member role.
   * @defaultValue none
   */
  PolicyArns?: readonly { arn?: string }[];
  /**
   * The lifetime of the member roles' sessions, in seconds (at most 3600 for a chained role).
   * @defaultValue STS's default (one hour)
   */
  DurationSeconds?: number;
}

/** The keys an {@link OrganizationSpec} may hold; any other is refused. */
const ORGANIZATION_KEYS: ReadonlySet<string> = new Set([
  'Account',
  'RoleName',
  'ExternalId',
  'RoleSessionName',
  'OUs',
  'include',
  'exclude',
  'RateLimit',
  'region_name',
  'Tags',
  'ExcludeOUs',
  'ExcludeManagementAccount',
  'Policy',
  'PolicyArns',
  'DurationSeconds',
]);

/** The default limit of Organizations calls: 2 per second, waiting for a slot. @public */
export const ORGANIZATIONS_DEFAULT_RATE_LIMIT: Readonly<RateLimitSpec> = Object.freeze({
  max_count: 2,
  interval: 1,
  block: true,
});

/**
 * A member account as Organizations lists it, with the Account built for it.
 *
 * @public
 */
export interface OrganizationMember {
  /** The account id. */
  readonly id: string;
  /** The account's name in the organisation. */
  readonly name: string | undefined;
  /** The account's e-mail address. */
  readonly email: string | undefined;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, ... */
  readonly status: string;
  /** Whether it is active (only active members get an Account). */
  readonly active: boolean;
  /** The Account reached by assuming the role (the management account itself for its own id). */
  readonly account: Account | undefined;
  /** The account spec given to `accountFactory` for it (`undefined` for inactive members). */
  readonly accountSpec: AccountSpec | undefined;
  /** Its tags, when the spec has a `Tags` condition (they were read to apply it). */
  readonly tags?: Readonly<Record<string, string>>;
}

interface ListedAccount {
  Id?: string;
  Arn?: string;
  Name?: string;
  Email?: string;
  Status?: string;
  State?: string;
}

const OU_ID = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const INACTIVE = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

/**
 * Every problem of an `Organization` spec, as `path: message`, in the order of its keys' checks
 * (unknown keys, the account and role, the selection, the session options); none when it is valid.
 */
const organizationSpecProblems = (spec: OrganizationSpec): string[] => [
  ...unknownKeyProblems(spec),
  ...accountProblems(spec),
  ...selectionProblems(spec),
  ...sessionOptionProblems(spec),
];

/** The problems of an `Organization` spec's keys: each one it does not know. */
function unknownKeyProblems(spec: OrganizationSpec): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(spec)) {
    if (!ORGANIZATION_KEYS.has(key)) {
      problems.push(
        `Organization.${key}: unknown key (allowed: ${[...ORGANIZATION_KEYS].join(', ')})`,
      );
    }
  }
  return problems;
}

/** The problems of the management `Account` and the `RoleName` assumed in the members. */
function accountProblems(spec: OrganizationSpec): string[] {
  const problems: string[] = [];
  if (typeof spec.Account !== 'object' || spec.Account === null) {
    problems.push(
      'Organization.Account: required, the management account (SessionParameters, AssumeRole, AssumeRoles)',
    );
  } else if (typeof (spec.Account as { session?: unknown }).session === 'function') {
    problems.push(
      'Organization.Account: give the account spec (SessionParameters, AssumeRole, AssumeRoles), ' +
        'not an Account object: the member roles are appended to its role chain',
    );
  }
  if (spec.RoleName !== undefined && !ROLE_NAME.test(spec.RoleName)) {
    problems.push(
      `Organization.RoleName: ${JSON.stringify(spec.RoleName)} is not a role name (no path, at most 64 characters)`,
    );
  }
  return problems;
}

/**
 * The problems of the member selection: `OUs`, `ExcludeOUs`, `include`, `exclude`, `Tags`,
 * `ExcludeManagementAccount`.
 */
function selectionProblems(spec: OrganizationSpec): string[] {
  const problems: string[] = [];
  const lists = {
    OUs: spec.OUs,
    ExcludeOUs: spec.ExcludeOUs,
    include: spec.include,
    exclude: spec.exclude,
  };
  for (const [key, list] of Object.entries(lists)) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`Organization.${key}: must be a list`);
      continue;
    }
    (list as unknown[]).forEach((entry, i) => {
      if (typeof entry !== 'string' || entry.length === 0) {
        problems.push(
          `Organization.${key}[${i}]: must be a non-empty string, got ${JSON.stringify(entry)}`,
        );
      }
    });
  }
  if (spec.Tags !== undefined) {
    if (typeof spec.Tags !== 'object' || spec.Tags === null || Array.isArray(spec.Tags)) {
      problems.push('Organization.Tags: must be a mapping of tag keys to values');
    } else {
      for (const [key, value] of Object.entries(spec.Tags)) {
        if (typeof value !== 'string') {
          problems.push(
            `Organization.Tags.${key}: must be a string (a value or a glob), got ${JSON.stringify(value)}`,
          );
        }
      }
    }
  }
  if (
    spec.ExcludeManagementAccount !== undefined &&
    typeof spec.ExcludeManagementAccount !== 'boolean'
  ) {
    problems.push('Organization.ExcludeManagementAccount: must be true or false');
  }
  return problems;
}

/** The problems of the member role's session options: `Policy`, `PolicyArns`, `DurationSeconds`. */
function sessionOptionProblems(spec: OrganizationSpec): string[] {
  const problems: string[] = [];
  if (spec.Policy !== undefined && (typeof spec.Policy !== 'string' || spec.Policy === '')) {
    problems.push('Organization.Policy: must be a policy document (JSON text)');
  }
  if (
    spec.PolicyArns !== undefined &&
    (!Array.isArray(spec.PolicyArns) ||
      (spec.PolicyArns as unknown[]).some(
        (p) =>
          typeof p !== 'object' || p === null || typeof (p as { arn?: unknown }).arn !== 'string',
      ))
  ) {
    problems.push('Organization.PolicyArns: must be a list of { arn: <policy ARN> }');
  }
  if (
    spec.DurationSeconds !== undefined &&
    (!Number.isInteger(spec.DurationSeconds) ||
      spec.DurationSeconds < 900 ||
      spec.DurationSeconds > 43_200)
  ) {
    problems.push(
      `Organization.DurationSeconds: must be a whole number of seconds from 900 to 43200, got ${JSON.stringify(spec.DurationSeconds)}`,
    );
  }
  return problems;
}

/**
 * Lists the member accounts of an organisation (all of them, or those under given OUs,
 * recursively), applies `include`/`exclude`, and builds each active member's Account by assuming
 * `RoleName` (with `ExternalId`) from the management account, through `accountFactory` (so two
 * sources of one organisation share the Accounts and their credentials). Organizations calls go
 * through a RegionalAccount of the management account with their own, conservative limit.
 *
 * @example
 * ```ts
 * const org = new OrganizationAccounts({ Account: { SessionParameters: { profile_name: 'mgmt' } } });
 * for (const m of await org.members()) console.log(m.id, m.name, m.status);
 * ```
 * @public
 */
export class OrganizationAccounts {
  readonly #spec: OrganizationSpec;
  readonly #options: RegionalAccountFactoryOptions;
  readonly #include: RegExp[];
  readonly #exclude: RegExp[];
  readonly #tagPatterns: [string, RegExp][];
  /** Tags read per account id, kept for the life of this source (one call per account). */
  readonly #tags = new Map<string, Promise<Record<string, string>>>();

  /**
   * @param spec - see {@link OrganizationSpec}
   * @param options - the factory options of the RegionalAccount of the Organizations calls (as
   *   {@link regionalAccountFactory} takes them: logger, clock, client cache size,
   *   `loadServiceModule` for `@aws-sdk/client-organizations`, `createRateLimit` for an
   *   `Organization.RateLimit` with a `store`); `regionalAccountSetFromOrganization` passes its own
   * @throws {@link OrganizationSpecError} listing every problem of the spec
   */
  constructor(spec: OrganizationSpec, options: RegionalAccountFactoryOptions = {}) {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      throw new OrganizationSpecError(['Organization: must be an object']);
    }
    const problems = organizationSpecProblems(spec);
    if (problems.length > 0) throw new OrganizationSpecError(problems);
    this.#spec = spec;
    this.#tagPatterns = Object.entries(spec.Tags ?? {}).map(([key, value]) => [
      key,
      globToRegExp(value),
    ]);
    this.#options = options;
    this.#include = (spec.include ?? []).map(globToRegExp);
    this.#exclude = (spec.exclude ?? []).map(globToRegExp);
  }

  /** The management account (from `accountFactory`). */
  managementAccount(): Account {
    return accountFactory(this.#spec.Account);
  }

  /** The rate-limited RegionalAccount the Organizations calls go through. */
  organizationsClient(): RegionalAccount {
    const account = this.managementAccount();
    return regionalAccountFactory(
      {
        Account: this.#spec.Account,
        RateLimit: this.#spec.RateLimit ?? { ...ORGANIZATIONS_DEFAULT_RATE_LIMIT },
        region_name: this.#spec.region_name ?? account.session().region ?? 'us-east-1',
      },
      this.#options,
    );
  }

  /**
   * The account spec of a member: the management account's, with the member's role appended to
   * its role chain.
   *
   * @param accountId - the member's id
   * @param partition - the ARN partition (`aws`, `aws-cn`, ...)
   * @returns the spec to give `accountFactory`
   */
  memberAccountSpec(accountId: string, partition = 'aws'): AccountSpec {
    const { SessionParameters, AssumeRole, AssumeRoles } = this.#spec.Account;
    const chain = [...(AssumeRole === undefined ? [] : [AssumeRole]), ...(AssumeRoles ?? [])];
    return {
      ...(SessionParameters === undefined ? {} : { SessionParameters }),
      AssumeRoles: [
        ...chain,
        {
          RoleArn: `arn:${partition}:iam::${accountId}:role/${this.#spec.RoleName ?? 'OrganizationAccountAccessRole'}`,
          RoleSessionName: this.#spec.RoleSessionName ?? 'cs-aws-organization',
          ...(this.#spec.ExternalId === undefined ? {} : { ExternalId: this.#spec.ExternalId }),
          ...(this.#spec.DurationSeconds === undefined
            ? {}
            : { DurationSeconds: this.#spec.DurationSeconds }),
          ...(this.#spec.Policy === undefined ? {} : { Policy: this.#spec.Policy }),
          ...(this.#spec.PolicyArns === undefined
            ? {}
            : { PolicyArns: this.#spec.PolicyArns.map((p) => ({ ...p })) }),
        },
      ],
    };
  }

  #selected(account: ListedAccount): boolean {
    const keys = [account.Id, account.Name].filter((k): k is string => k !== undefined);
    const matches = (patterns: RegExp[]): boolean =>
      patterns.some((re) => keys.some((k) => re.test(k)));
    if (matches(this.#exclude)) return false;
    return this.#include.length === 0 || matches(this.#include);
  }

  async *#pages<P>(
    operation: string,
    input: object,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<P> {
    yield* this.organizationsClient().paginate<P>('organizations', operation, input, {
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async #resolveOu(
    entry: string,
    signal: AbortSignal | undefined,
    key: 'OUs' | 'ExcludeOUs' = 'OUs',
  ): Promise<string> {
    if (OU_ID.test(entry)) return entry;
    const names = entry.split('/').filter((n) => n.length > 0);
    let parent: string | undefined;
    for await (const page of this.#pages<{ Roots?: { Id?: string }[] }>('ListRoots', {}, signal)) {
      parent ??= page.Roots?.[0]?.Id;
    }
    if (parent === undefined)
      throw new OrganizationSpecError([`Organization.${key}: the organisation has no root`]);
    for (const [depth, name] of names.entries()) {
      let found: string | undefined;
      for await (const page of this.#pages<{
        OrganizationalUnits?: { Id?: string; Name?: string }[];
      }>('ListOrganizationalUnitsForParent', { ParentId: parent }, signal)) {
        found ??= page.OrganizationalUnits?.find((ou) => ou.Name === name)?.Id;
      }
      if (found === undefined) {
        throw new OrganizationSpecError([
          `Organization.${key}: ${JSON.stringify(entry)}: no organisational unit named ${JSON.stringify(name)} under ${
            depth === 0 ? 'the root' : names.slice(0, depth).join('/')
          } (give an OU id, ou-..., or a path of names from the root)`,
        ]);
      }
      parent = found;
    }
    return parent;
  }

  async #listUnder(
    parentId: string,
    out: Map<string, ListedAccount>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for await (const page of this.#pages<{ Accounts?: ListedAccount[] }>(
      'ListAccountsForParent',
      { ParentId: parentId },
      signal,
    )) {
      for (const account of page.Accounts ?? [])
        if (account.Id !== undefined) out.set(account.Id, account);
    }
    const children: string[] = [];
    for await (const page of this.#pages<{ OrganizationalUnits?: { Id?: string }[] }>(
      'ListOrganizationalUnitsForParent',
      { ParentId: parentId },
      signal,
    )) {
      for (const ou of page.OrganizationalUnits ?? [])
        if (ou.Id !== undefined) children.push(ou.Id);
    }
    for (const child of children) await this.#listUnder(child, out, signal);
  }

  /**
   * The tags of an account of the organisation, read with `ListTagsForResource` (every page) on
   * first use and kept for the life of this source, so a run asks once per account.
   *
   * @param accountId - the member's id
   * @param options - `signal` cancels the call
   * @returns the tags, key to value
   * @throws {@link AwsClientError} when the call fails (`TargetNotFoundException`, `AccessDenied`)
   */
  accountTags(
    accountId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Record<string, string>> {
    let tags = this.#tags.get(accountId);
    if (tags === undefined) {
      tags = (async () => {
        const out: Record<string, string> = {};
        for await (const page of this.#pages<{ Tags?: { Key?: string; Value?: string }[] }>(
          'ListTagsForResource',
          { ResourceId: accountId },
          options.signal,
        )) {
          for (const tag of page.Tags ?? []) {
            if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
          }
        }
        return out;
      })();
      // A failed read is not kept: the next run (or retry) asks again.
      tags.catch(() => this.#tags.delete(accountId));
      this.#tags.set(accountId, tags);
    }
    return tags;
  }

  /** Whether the tags satisfy every `Tags` condition (a missing key never does). */
  #tagsMatch(tags: Readonly<Record<string, string>>): boolean {
    return this.#tagPatterns.every(
      ([key, pattern]) => Object.hasOwn(tags, key) && pattern.test(tags[key] ?? ''),
    );
  }

  /**
   * Lists the members (after `ExcludeOUs`, `ExcludeManagementAccount`, `include`/`exclude` and
   * `Tags`; inactive ones included with `active: false`), sorted by id, and builds the Account of
   * each active one (no AWS call is made for that: the roles are assumed when first used).
   *
   * @param options - `signal` cancels the listing
   * @returns the members
   * @throws {@link AwsClientError} when an Organizations call fails (e.g. `AccessDenied`,
   *   `AWSOrganizationsNotInUseException`); {@link OrganizationSpecError} for an OU path not found
   */
  async members(options: { signal?: AbortSignal } = {}): Promise<OrganizationMember[]> {
    const { signal } = options;
    const listed = await this.#listed(signal);
    const dropped = await this.#dropped(signal);
    const selected = [...listed.values()]
      .filter((account) => !dropped.has(account.Id ?? '') && this.#selected(account))
      .sort((a, b) => (a.Id ?? '').localeCompare(b.Id ?? ''));
    const tagsOf = await this.#tagsOf(selected, signal);
    const ownId = await this.managementAccount()
      .accountId()
      .catch(() => undefined);
    return selected
      .filter(
        (account) =>
          this.#tagPatterns.length === 0 || this.#tagsMatch(tagsOf.get(account.Id ?? '') ?? {}),
      )
      .map((account) => this.#member(account, tagsOf.get(account.Id ?? ''), ownId));
  }

  /** The accounts of the organisation, or of the spec's `OUs` (recursively), by id. */
  async #listed(signal: AbortSignal | undefined): Promise<Map<string, ListedAccount>> {
    const listed = new Map<string, ListedAccount>();
    if (this.#spec.OUs === undefined || this.#spec.OUs.length === 0) {
      for await (const page of this.#pages<{ Accounts?: ListedAccount[] }>(
        'ListAccounts',
        {},
        signal,
      )) {
        for (const account of page.Accounts ?? [])
          if (account.Id !== undefined) listed.set(account.Id, account);
      }
    } else {
      for (const entry of this.#spec.OUs) {
        await this.#listUnder(await this.#resolveOu(entry, signal), listed, signal);
      }
    }
    return listed;
  }

  /**
   * The ids the spec drops: the accounts under `ExcludeOUs`, and the management account's when
   * `ExcludeManagementAccount` is true.
   */
  async #dropped(signal: AbortSignal | undefined): Promise<Set<string>> {
    const dropped = new Set<string>();
    for (const entry of this.#spec.ExcludeOUs ?? []) {
      const under = new Map<string, ListedAccount>();
      await this.#listUnder(await this.#resolveOu(entry, signal, 'ExcludeOUs'), under, signal);
      for (const id of under.keys()) dropped.add(id);
    }
    if (this.#spec.ExcludeManagementAccount === true) {
      const described = await this.organizationsClient().callClient<{
        Organization?: { MasterAccountId?: string };
      }>(
        'organizations',
        'DescribeOrganization',
        {},
        undefined,
        signal === undefined ? {} : { signal },
      );
      const id = described.Organization?.MasterAccountId;
      if (id !== undefined) dropped.add(id);
    }
    return dropped;
  }

  /** The tags of each of `accounts` by id, read only when the spec has a `Tags` condition. */
  async #tagsOf(
    accounts: readonly ListedAccount[],
    signal: AbortSignal | undefined,
  ): Promise<Map<string, Record<string, string>>> {
    const tagsOf = new Map<string, Record<string, string>>();
    if (this.#tagPatterns.length > 0) {
      // One call per account, in order: the Organizations limit paces them anyway.
      for (const account of accounts) {
        const id = account.Id ?? '';
        tagsOf.set(id, await this.accountTags(id, { ...(signal === undefined ? {} : { signal }) }));
      }
    }
    return tagsOf;
  }

  /**
   * The member a listed account is: its status (an inactive `Status` or `State` wins), and, when
   * active, its account spec (the management account's own for `ownId`) and Account.
   */
  #member(
    account: ListedAccount,
    tags: Record<string, string> | undefined,
    ownId: string | undefined,
  ): OrganizationMember {
    const id = account.Id ?? '';
    const status =
      [account.Status, account.State].find((s) => s !== undefined && INACTIVE.has(s)) ??
      account.Status ??
      account.State ??
      'ACTIVE';
    const active = !INACTIVE.has(status);
    const partition = account.Arn?.split(':')[1] ?? 'aws';
    const accountSpec = !active
      ? undefined
      : id === ownId
        ? this.#spec.Account
        : this.memberAccountSpec(id, partition);
    return {
      id,
      name: account.Name,
      email: account.Email,
      status,
      active,
      accountSpec,
      account: accountSpec === undefined ? undefined : accountFactory(accountSpec),
      ...(tags === undefined ? {} : { tags }),
    };
  }
}

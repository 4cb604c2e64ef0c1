/**
 * The model the server serves, as an object or a YAML file of the same shape. See the README for a
 * full example; every field is checked by `startLocalAws`, which names the path of a bad field.
 * @example
 * ```ts
 * const fixture: Fixture = {
 *   accounts: [
 *     { id: '111111111111', users: [{ name: 'ci', accessKeys: [{ accessKeyId: 'AKIAFIXTURE0000001', secretAccessKey: 'SECRETFIXTURE-example-1' }] }] },
 *     { id: '222222222222', roles: [{ name: 'Admin', trust: ['111111111111'] }], instances: { 'us-east-1': 30 } },
 *   ],
 * };
 * ```
 * @public
 */
export interface Fixture {
  /** The accounts, each with users, roles, aliases, regions and instances. */
  accounts: AccountFixture[];
  /** The AWS Organizations tree; without it, Organizations calls answer `AWSOrganizationsNotInUseException`. */
  organization?: OrganizationFixture;
  /**
   * Lifetime in seconds of the session credentials that `AssumeRole*` issues, overriding
   * `DurationSeconds` (which is still validated), so that refresh can be tested in seconds.
   * @defaultValue the request's `DurationSeconds`, else 3600
   */
  sessionLifetimeSeconds?: number;
  /** Tokens that `AssumeRoleWithWebIdentity` accepts. @defaultValue none */
  webIdentityTokens?: WebIdentityTokenFixture[];
}

/** One account of a {@link Fixture}. @public */
export interface AccountFixture {
  /** Twelve digits. */
  id: string;
  /** @defaultValue `account-<id>` */
  name?: string;
  /** @defaultValue `<id>@example.com` */
  email?: string;
  /** @defaultValue `'ACTIVE'` */
  status?: 'ACTIVE' | 'SUSPENDED';
  /** The organizational unit (name or id) that holds it. @defaultValue the root */
  parent?: string;
  /** IAM account aliases (AWS allows one). @defaultValue none */
  aliases?: string[];
  /** The exact set of enabled regions. @defaultValue the non-opt-in regions of partition `aws` */
  regions?: string[];
  /** Opt-in regions (such as `af-south-1`) enabled in addition to `regions`. @defaultValue none */
  optInRegions?: string[];
  /** IAM users and their access keys. @defaultValue none */
  users?: UserFixture[];
  /** IAM roles that `AssumeRole` can assume. @defaultValue none */
  roles?: RoleFixture[];
  /**
   * Instances per region: a count (generated deterministically) or an explicit list.
   * @defaultValue none
   */
  instances?: Record<string, number | InstanceFixture[]>;
  /** The account's tags in the organisation (`ListTagsForResource`). @defaultValue none */
  tags?: Record<string, string>;
  /**
   * Its S3 buckets (`ListBuckets`): names (in `us-east-1`), or `{ name, region }`. Bucket names are
   * global: two accounts cannot have the same one. @defaultValue none
   */
  buckets?: (string | { name: string; region?: string })[];
}

/** An IAM user of an {@link AccountFixture}. @public */
export interface UserFixture {
  /** User name; its ARN is `arn:aws:iam::<account>:user/<name>`. */
  name: string;
  /** Long-term access keys (use obviously fake ones, such as `AKIAFIXTURE...`). */
  accessKeys: { accessKeyId: string; secretAccessKey: string }[];
  /** An MFA device serial (ARN) the user may present to `AssumeRole`. */
  mfaSerial?: string;
  /** The one-time code the server accepts for `mfaSerial`. */
  mfaCode?: string;
}

/** An IAM role of an {@link AccountFixture}. @public */
export interface RoleFixture {
  /** Role name; its ARN is `arn:aws:iam::<account>:role/<name>`. */
  name: string;
  /**
   * Who may assume it: account ids (any principal of that account), principal ARNs (user, role or
   * `arn:aws:iam::<id>:root`), or `'*'`.
   * @defaultValue nobody (except through `trustWebIdentity`)
   */
  trust?: string[];
  /** Web-identity providers (the `provider` of `webIdentityTokens`) whose tokens it accepts. */
  trustWebIdentity?: string[];
  /** The `ExternalId` a caller must pass. */
  externalId?: string;
  /** Whether the caller must pass `SerialNumber` and `TokenCode` (the user's `mfaSerial`/`mfaCode`). @defaultValue false */
  mfaRequired?: boolean;
  /** Largest `DurationSeconds` allowed (3600 to 43200). @defaultValue 3600 */
  maxSessionDuration?: number;
}

/** An explicit EC2 instance. @public */
export interface InstanceFixture {
  /** @defaultValue a deterministic `i-` id */
  id?: string;
  /** @defaultValue `'t3.micro'` */
  type?: string;
  /** @defaultValue `'running'` */
  state?: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  /** Tags, as a map. @defaultValue `{ Name: <id> }` */
  tags?: Record<string, string>;
}

/** The organisation of a {@link Fixture}. @public */
export interface OrganizationFixture {
  /** The management account's id (one of `accounts`). */
  managementAccountId: string;
  /** @defaultValue `o-` + ten characters derived from the management account */
  id?: string;
  /** @defaultValue `r-` + four characters derived from the organisation id */
  rootId?: string;
  /** Organizational units under the root. @defaultValue none */
  units?: OrganizationalUnitFixture[];
}

/** An organizational unit, possibly nested. @public */
export interface OrganizationalUnitFixture {
  name: string;
  /** @defaultValue `ou-<root>-<eight characters derived from the name path>` */
  id?: string;
  children?: OrganizationalUnitFixture[];
}

/** A token that `AssumeRoleWithWebIdentity` accepts. @public */
export interface WebIdentityTokenFixture {
  token: string;
  /** The provider name a role lists in `trustWebIdentity`. */
  provider: string;
  /** @defaultValue `'subject'` */
  subject?: string;
}

// The TypeScript types of the configuration sections. They are written by hand, for readable
// declarations, or taken from the package that consumes the section where its type is the same
// (SessionParameters, ServiceEndpoints: @cs/session's own), and test/types-match-schemas.test.ts
// holds them against the schemas of ./sectionSchemas.ts (json-schema-to-ts's FromSchema),
// so that neither can drift from the other.

import type { ServiceEndpoints, SessionParameters } from '@cs/session';

/**
 * `ServiceEndpoints`: service id to one URL, or to a map from region name (or `*`) to URL. The
 * type `Session` takes, unchanged.
 *
 * @public
 */
export type ServiceEndpointsConfig = ServiceEndpoints;

/**
 * `SessionParameters`: the base identity, with boto3 names or SDK v3 names. The parameters
 * `Session` takes, less `credentials` (an object or a provider function, which a file cannot hold).
 *
 * @public
 */
export type SessionParametersConfig = Omit<SessionParameters, 'credentials'>;

/**
 * `AssumeRole`: the parameters of STS AssumeRole (AWS's names) and the method.
 *
 * @public
 */
export interface AssumeRoleConfig {
  RoleArn: string;
  RoleSessionName?: string;
  ExternalId?: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: { arn: string }[];
  Tags?: { Key: string; Value: string }[];
  TransitiveTagKeys?: string[];
  SourceIdentity?: string;
  SerialNumber?: string;
  TokenCode?: string;
  WebIdentityToken?: string;
  ProviderId?: string;
  PrincipalArn?: string;
  SAMLAssertion?: string;
  method?: 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML';
  sts_method?: 'assume_role' | 'assume_role_with_web_identity' | 'assume_role_with_saml';
}

/**
 * `AssumeRoles`: a role chain, assumed in order.
 *
 * @public
 */
export type AssumeRolesConfig = AssumeRoleConfig[];

/**
 * `Account`: base identity and roles.
 *
 * @public
 */
export interface AccountConfig {
  SessionParameters?: SessionParametersConfig;
  AssumeRole?: AssumeRoleConfig;
  AssumeRoles?: AssumeRolesConfig;
}

/**
 * `RateLimit`: `max_count` (or `maxCount`) calls per `interval` seconds (or a duration string).
 *
 * @public
 */
export interface RateLimitConfig {
  max_count?: number;
  maxCount?: number;
  interval?: number | string;
  block?: boolean;
  store?: { redis?: { url: string; key?: string } };
}

/**
 * `RateLimitRegionSpec`: region name to the rate limit that replaces `RateLimit` there.
 *
 * @public
 */
export type RateLimitRegionSpecConfig = Record<string, RateLimitConfig>;

/**
 * `RateLimitOperationSpec`: `service` or `service:Operation` to an extra rate limit.
 *
 * @public
 */
export type RateLimitOperationSpecConfig = Record<string, RateLimitConfig>;

/**
 * The region filter of one partition.
 *
 * @public
 */
export interface PartitionFilterConfig {
  IncludeNonRegional?: boolean;
  Regions?: { include?: string[] | string | null; exclude?: string[] | string | null } | null;
}

/**
 * `Filter`: partition id to its region filter.
 *
 * @public
 */
export interface FilterConfig {
  Partitions?: Record<string, PartitionFilterConfig | null> | null;
  Discover?: boolean;
}

/**
 * `Organization`: the member accounts of an organisation, reached through `RoleName`.
 *
 * @public
 */
export interface OrganizationConfig {
  Account: AccountConfig;
  RoleName?: string;
  ExternalId?: string;
  RoleSessionName?: string;
  OUs?: string[];
  include?: string[];
  exclude?: string[];
  RateLimit?: RateLimitConfig;
  region_name?: string;
  Tags?: Record<string, string>;
  ExcludeOUs?: string[];
  ExcludeManagementAccount?: boolean;
  Policy?: string;
  PolicyArns?: { arn: string }[];
  DurationSeconds?: number;
}

/**
 * `Adaptive`: `true`, or the settings of the adaptive rate.
 *
 * @public
 */
export type AdaptiveConfig =
  boolean | { decrease?: number; increase?: number; minCount?: number; interval?: number };

/**
 * `RegionalAccount`: one account in one region.
 *
 * @public
 */
export interface RegionalAccountConfig {
  Account: AccountConfig;
  RateLimit?: RateLimitConfig;
  region_name?: string;
  region?: string;
  RateLimitOperationSpec?: RateLimitOperationSpecConfig;
  Adaptive?: AdaptiveConfig;
  MaxAttempts?: number;
}

/**
 * `RegionalAccounts`: an account (`Account`) or an organisation's accounts (`Organization`), in the
 * regions of a filter.
 *
 * @public
 */
export type RegionalAccountsConfig = RegionalAccountsCommonConfig &
  (
    | { Account: AccountConfig; Organization?: OrganizationConfig }
    | { Account?: AccountConfig; Organization: OrganizationConfig }
  );

/**
 * The keys of `RegionalAccounts` other than `Account` and `Organization` (one of which is given).
 *
 * @public
 */
export interface RegionalAccountsCommonConfig {
  RateLimit?: RateLimitConfig;
  Filter?: FilterConfig;
  RateLimitRegionSpec?: RateLimitRegionSpecConfig;
  RateLimitOperationSpec?: RateLimitOperationSpecConfig;
  Adaptive?: AdaptiveConfig;
  MaxAttempts?: number;
  service?: string;
}

/**
 * `RegionalAccountSet`: a list of `{ RegionalAccounts }`.
 *
 * @public
 */
export type RegionalAccountSetConfig = { RegionalAccounts: RegionalAccountsConfig }[];

/**
 * The type of each section, by name.
 *
 * @public
 */
export interface SectionTypes {
  SessionParameters: SessionParametersConfig;
  ServiceEndpoints: ServiceEndpointsConfig;
  AssumeRole: AssumeRoleConfig;
  AssumeRoles: AssumeRolesConfig;
  Account: AccountConfig;
  RateLimit: RateLimitConfig;
  RateLimitRegionSpec: RateLimitRegionSpecConfig;
  RateLimitOperationSpec: RateLimitOperationSpecConfig;
  Filter: FilterConfig;
  Organization: OrganizationConfig;
  RegionalAccount: RegionalAccountConfig;
  RegionalAccounts: RegionalAccountsConfig;
  RegionalAccountSet: RegionalAccountSetConfig;
}

/**
 * A validated configuration document: application sections are free-form (`unknown` until read
 * with `getSection`), top-level keys named after a section have that section's type.
 *
 * @public
 */
export type CsAwsConfig = { readonly [key: string]: unknown } & {
  readonly [K in keyof SectionTypes]?: SectionTypes[K];
};

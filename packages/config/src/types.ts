// The TypeScript types of the configuration sections, derived from their schemas
// (./schema/sectionSource.ts) with json-schema-to-ts's FromSchema, so that a section's shape is
// written once. Where a package below owns the type (SessionParameters and ServiceEndpoints,
// @cs/session's), the section's type is that package's, and test/section-types.test.ts checks
// that the schema describes exactly it; the same test checks that every section is accepted by the
// factory of the package below that builds it (`RateLimitSpec`, `RegionalAccountSpec`, ...).

import type { ServiceEndpoints, SessionParameters } from '@cs/session';
import type { FromSchema } from 'json-schema-to-ts';
import type { sectionSchemaSource } from './schema/sectionSource';

/** The type a section's schema describes. */
type FromSection<K extends keyof typeof sectionSchemaSource> = FromSchema<
  (typeof sectionSchemaSource)[K]
>;

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
export type AssumeRoleConfig = FromSection<'AssumeRole'>;

/**
 * `AssumeRoles`: a role chain, assumed in order.
 *
 * @public
 */
export type AssumeRolesConfig = FromSection<'AssumeRoles'>;

/**
 * `Account`: base identity and roles.
 *
 * @public
 */
export type AccountConfig = FromSection<'Account'>;

/**
 * `RateLimit`: `max_count` (or `maxCount`) calls per `interval` seconds (or a duration string).
 *
 * @public
 */
export type RateLimitConfig = FromSection<'RateLimit'>;

/**
 * `RateLimitRegionSpec`: region name to the rate limit that replaces `RateLimit` there.
 *
 * @public
 */
export type RateLimitRegionSpecConfig = FromSection<'RateLimitRegionSpec'>;

/**
 * `RateLimitOperationSpec`: `service` or `service:Operation` to an extra rate limit.
 *
 * @public
 */
export type RateLimitOperationSpecConfig = FromSection<'RateLimitOperationSpec'>;

/**
 * `Filter`: partition id to its region filter.
 *
 * @public
 */
export type FilterConfig = FromSection<'Filter'>;

/**
 * The region filter of one partition.
 *
 * @public
 */
export type PartitionFilterConfig = NonNullable<NonNullable<FilterConfig['Partitions']>[string]>;

/**
 * `Organization`: the member accounts of an organisation, reached through `RoleName`.
 *
 * @public
 */
export type OrganizationConfig = FromSection<'Organization'>;

/**
 * `RegionalAccount`: one account in one region.
 *
 * @public
 */
export type RegionalAccountConfig = FromSection<'RegionalAccount'>;

/**
 * `Adaptive`: `true`, or the settings of the adaptive rate.
 *
 * @public
 */
export type AdaptiveConfig = NonNullable<RegionalAccountConfig['Adaptive']>;

/**
 * `RegionalAccounts`: an account (`Account`) or an organisation's accounts (`Organization`), in the
 * regions of a filter.
 *
 * @public
 */
export type RegionalAccountsConfig = FromSection<'RegionalAccounts'>;

/**
 * The keys of `RegionalAccounts` other than `Account` and `Organization` (one of which is given).
 *
 * @public
 */
export type RegionalAccountsCommonConfig = Omit<RegionalAccountsConfig, 'Account' | 'Organization'>;

/**
 * `RegionalAccountSet`: a list of `{ RegionalAccounts }`.
 *
 * @public
 */
export type RegionalAccountSetConfig = FromSection<'RegionalAccountSet'>;

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

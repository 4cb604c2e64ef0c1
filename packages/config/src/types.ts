// The TypeScript types of the configuration sections. A section's shape is written once, as its
// schema (./schema/sectionSource.ts); ./schema/sectionTypes.ts holds the types json-schema-to-ts's
// FromSchema derives from the schemas, printed as plain declarations by
// scripts/generate-section-types.mjs (at build time). Where a package below owns the type
// (SessionParameters and ServiceEndpoints, @cs/session's), the section's type is that package's.
// test/section-types.test.ts checks at compile time that every type is what its schema describes,
// and that the factory below that builds a section accepts it.

import type { ServiceEndpoints, SessionParameters } from '@cs/session';
import type { FilterConfig, RegionalAccountsConfig, SectionTypes } from './schema/sectionTypes';

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

export type {
  AccountConfig,
  AdaptiveConfig,
  AssumeRoleConfig,
  AssumeRolesConfig,
  FilterConfig,
  OrganizationConfig,
  RateLimitConfig,
  RateLimitOperationSpecConfig,
  RateLimitRegionSpecConfig,
  RegionalAccountConfig,
  RegionalAccountSetConfig,
  RegionalAccountsConfig,
  SectionTypes,
} from './schema/sectionTypes';

/**
 * The region filter of one partition.
 *
 * @public
 */
export type PartitionFilterConfig = NonNullable<NonNullable<FilterConfig['Partitions']>[string]>;

/**
 * The keys of `RegionalAccounts` other than `Account` and `Organization` (one of which is given).
 *
 * @public
 */
export type RegionalAccountsCommonConfig = Omit<RegionalAccountsConfig, 'Account' | 'Organization'>;

/**
 * A validated configuration document: application sections are free-form (`unknown` until read
 * with `getSection`), top-level keys named after a section have that section's type.
 *
 * @public
 */
export type CsAwsConfig = { readonly [key: string]: unknown } & {
  readonly [K in keyof SectionTypes]?: SectionTypes[K];
};

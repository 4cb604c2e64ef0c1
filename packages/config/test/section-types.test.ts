import type { SessionSpec } from '@cs/session';
import type { RateLimitSpec } from '@cs/ratelimit';
import type {
  AdaptiveOptions,
  OrganizationSetSpec,
  OrganizationSpec,
  PartitionFilter,
  RegionalAccountSpec,
  RegionalAccountsFilter,
  RegionalAccountsSpec,
} from '@cs/regional';
import type { FromSchema } from 'json-schema-to-ts';
import { describe, expectTypeOf, it } from 'vitest';
import type { sectionSchemaSource } from '../src/schema/sectionSource';
import type {
  AccountConfig,
  AdaptiveConfig,
  AssumeRoleConfig,
  FilterConfig,
  OrganizationConfig,
  PartitionFilterConfig,
  RateLimitConfig,
  RegionalAccountConfig,
  RegionalAccountSetConfig,
  RegionalAccountsConfig,
  SectionName,
  SectionTypes,
  ServiceEndpointsConfig,
  SessionParametersConfig,
} from '../src/index';

// A section's shape is written once, as its schema (src/schema/sectionSource.ts); its type is
// derived from it. These checks hold the types to the schemas at compile time (`pnpm typecheck`
// fails on a drift; the runtime assertions only keep vitest from reporting empty tests):
// - every section's type is exactly what json-schema-to-ts's FromSchema reads in its schema: the
//   declarations printed into src/schema/sectionTypes.ts are not stale (`pnpm run build` in
//   packages/config prints them again), and SessionParameters and ServiceEndpoints, @cs/session's
//   types, are what their schemas describe;
// - every other section must be accepted, once validated, by the factory below that builds it
//   (RateLimitSpec, SessionSpec, RegionalAccountSpec, ...), and must offer every key that factory
//   reads, so that a file can say everything code can.

type Source = typeof sectionSchemaSource;
type FromSection<K extends keyof Source> = FromSchema<Source[K]>;

/** Two-way assignability: every value of one type is a value of the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The keys of a spec of the layer below that a section cannot express. */
type Missing<Spec, Section> = Exclude<keyof Spec, keyof Section>;

/** The entries of `RegionalAccountSet` that name an `Account` (the others need an Organization). */
type WithAccount<T> = T extends { Account?: infer A } ? T & { Account: A } : never;

describe('one definition per section shape', () => {
  it('names the same sections in the schemas and the types', () => {
    expectTypeOf<SectionName>().toEqualTypeOf<keyof Source>();
    expectTypeOf<keyof SectionTypes>().toEqualTypeOf<keyof Source>();
  });

  it('gives each section the type its schema describes', () => {
    expectTypeOf<{ [K in SectionName]: Same<FromSection<K>, SectionTypes[K]> }>().toEqualTypeOf<{
      [K in SectionName]: true;
    }>();
  });

  it("describes @cs/session's SessionParameters and ServiceEndpoints exactly", () => {
    expectTypeOf<
      Same<FromSection<'SessionParameters'>, SessionParametersConfig>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'ServiceEndpoints'>, ServiceEndpointsConfig>
    >().toEqualTypeOf<true>();
  });

  it("gives @cs/session's factory an Account and an AssumeRole it accepts, with every key", () => {
    expectTypeOf<AccountConfig>().toExtend<SessionSpec>();
    expectTypeOf<AssumeRoleConfig>().toExtend<NonNullable<SessionSpec['AssumeRole']>>();
    expectTypeOf<Missing<SessionSpec, AccountConfig>>().toEqualTypeOf<never>();
    expectTypeOf<
      Missing<NonNullable<SessionSpec['AssumeRole']>, AssumeRoleConfig>
    >().toEqualTypeOf<never>();
  });

  it('gives @cs/ratelimit a RateLimit it accepts (plus the store), with every key', () => {
    expectTypeOf<RateLimitConfig>().toExtend<RateLimitSpec & { store?: unknown }>();
    expectTypeOf<Missing<RateLimitSpec, RateLimitConfig>>().toEqualTypeOf<never>();
  });

  it("gives @cs/regional's factories the sections they accept, with every key", () => {
    // The section spells the region `region` or `region_name`; the builder passes `region_name`.
    expectTypeOf<Omit<RegionalAccountConfig, 'region'>>().toExtend<RegionalAccountSpec>();
    expectTypeOf<Missing<RegionalAccountSpec, RegionalAccountConfig>>().toEqualTypeOf<never>();
    expectTypeOf<AdaptiveConfig>().toExtend<boolean | AdaptiveOptions>();
    expectTypeOf<
      Missing<AdaptiveOptions, Exclude<AdaptiveConfig, boolean>>
    >().toEqualTypeOf<never>();

    expectTypeOf<WithAccount<RegionalAccountsConfig>>().toExtend<RegionalAccountsSpec>();
    expectTypeOf<Missing<RegionalAccountsSpec, RegionalAccountsConfig>>().toEqualTypeOf<never>();
    expectTypeOf<FilterConfig>().toExtend<RegionalAccountsFilter>();
    expectTypeOf<Missing<RegionalAccountsFilter, FilterConfig>>().toEqualTypeOf<never>();
    expectTypeOf<PartitionFilterConfig>().toExtend<PartitionFilter>();
    expectTypeOf<Missing<PartitionFilter, PartitionFilterConfig>>().toEqualTypeOf<never>();

    expectTypeOf<OrganizationConfig>().toExtend<OrganizationSpec>();
    expectTypeOf<Missing<OrganizationSpec, OrganizationConfig>>().toEqualTypeOf<never>();

    expectTypeOf<RegionalAccountSetConfig[number]>().toExtend<OrganizationSetSpec>();
  });
});

import type { FromSchema } from 'json-schema-to-ts';
import { describe, expectTypeOf, it } from 'vitest';
import type { sectionSchemaSource } from '../src/internal/schemaSource';
import type { SectionName, SectionTypes } from '../src/index';

// The hand-written types of src/types.ts and the schemas cannot drift: each type must accept
// exactly what its schema describes, as json-schema-to-ts reads the schema. `typecheck` fails
// otherwise; the runtime assertions only keep vitest from reporting empty tests.

type Source = typeof sectionSchemaSource;
type FromSection<K extends keyof Source> = FromSchema<Source[K]>;

/** Two-way assignability: every value of the schema type is a value of the hand type, and back. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('the TypeScript types of the sections match their schemas', () => {
  it('the section names are the keys of the schemas', () => {
    expectTypeOf<SectionName>().toEqualTypeOf<keyof Source>();
    expectTypeOf<keyof SectionTypes>().toEqualTypeOf<keyof Source>();
  });
  it('SessionParameters and ServiceEndpoints', () => {
    expectTypeOf<
      Same<FromSection<'SessionParameters'>, SectionTypes['SessionParameters']>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'ServiceEndpoints'>, SectionTypes['ServiceEndpoints']>
    >().toEqualTypeOf<true>();
  });
  it('AssumeRole, AssumeRoles and Account', () => {
    expectTypeOf<
      Same<FromSection<'AssumeRole'>, SectionTypes['AssumeRole']>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'AssumeRoles'>, SectionTypes['AssumeRoles']>
    >().toEqualTypeOf<true>();
    expectTypeOf<Same<FromSection<'Account'>, SectionTypes['Account']>>().toEqualTypeOf<true>();
  });
  it('RateLimit and its region and operation specs', () => {
    expectTypeOf<Same<FromSection<'RateLimit'>, SectionTypes['RateLimit']>>().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'RateLimitRegionSpec'>, SectionTypes['RateLimitRegionSpec']>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'RateLimitOperationSpec'>, SectionTypes['RateLimitOperationSpec']>
    >().toEqualTypeOf<true>();
  });
  it('Filter and Organization', () => {
    expectTypeOf<Same<FromSection<'Filter'>, SectionTypes['Filter']>>().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'Organization'>, SectionTypes['Organization']>
    >().toEqualTypeOf<true>();
  });
  it('RegionalAccount, RegionalAccounts and RegionalAccountSet', () => {
    expectTypeOf<
      Same<FromSection<'RegionalAccount'>, SectionTypes['RegionalAccount']>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'RegionalAccounts'>, SectionTypes['RegionalAccounts']>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Same<FromSection<'RegionalAccountSet'>, SectionTypes['RegionalAccountSet']>
    >().toEqualTypeOf<true>();
  });
});

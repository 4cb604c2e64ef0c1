import { sectionSchemaSource } from './schema/sectionSource';

/**
 * A JSON Schema (draft-07) object, as plain data.
 *
 * @public
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The name of a configuration section.
 *
 * @public
 */
export type SectionName =
  | 'SessionParameters'
  | 'ServiceEndpoints'
  | 'AssumeRole'
  | 'AssumeRoles'
  | 'Account'
  | 'RateLimit'
  | 'RateLimitRegionSpec'
  | 'RateLimitOperationSpec'
  | 'Filter'
  | 'Organization'
  | 'RegionalAccount'
  | 'RegionalAccounts'
  | 'RegionalAccountSet';

/**
 * The JSON Schema (draft-07) of every configuration section, by section name: self-contained
 * (nested sections inlined), the same objects as the shipped `@cs/config/schemas/<Section>.json`.
 *
 * @example
 * ```ts
 * import { sectionSchemas } from '@cs/config';
 * console.log(Object.keys(sectionSchemas.RateLimit.properties as object)); // max_count, maxCount, ...
 * ```
 * @public
 */
export const sectionSchemas: { readonly [K in SectionName]: JsonSchema } = sectionSchemaSource;

/**
 * Every section name, in a stable order.
 *
 * @example
 * ```ts
 * sectionNames.includes('RegionalAccountSet'); // true
 * ```
 * @public
 */
export const sectionNames = Object.keys(sectionSchemaSource) as readonly SectionName[];

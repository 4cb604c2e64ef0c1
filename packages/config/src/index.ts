/**
 * @cs/config: YAML configuration for cs-aws: Jinja-compatible templating (a strict renderer:
 * variables, literals and Jinja's string filters, nothing that reaches code), YAML with
 * anchors (js-yaml), JSON-Schema validation of every section (ajv) with every problem reported at
 * once, the schemas as JSON files for editors, builders of the objects of the layers below through
 * their caching factories, and a registry of named factories.
 *
 * @packageDocumentation
 */

export {
  ConfigError,
  ConfigPackageError,
  FactoryRegistryError,
  formatProblem,
  isConfigError,
  isConfigPackageError,
  isFactoryRegistryError,
} from './errors';
export type { ConfigProblem } from './errors';
export { documentSchema } from './documentSchema';
export { getSection } from './getSection';
export { DEFAULT_CONFIG_LIMITS } from './limits';
export type { ConfigLimits } from './limits';
export { loadConfig } from './loadConfig';
export type { LoadConfigOptions } from './loadConfig';
export { parseConfig } from './parseConfig';
export type { ConfigLogger, ParseConfigOptions } from './parseConfig';
export { sectionNames, sectionSchemas } from './sectionSchemas';
export type { JsonSchema } from './sectionSchemas';
export type { SectionName } from './sectionSchemas';
export type {
  AccountConfig,
  AdaptiveConfig,
  AssumeRoleConfig,
  AssumeRolesConfig,
  CsAwsConfig,
  FilterConfig,
  OrganizationConfig,
  PartitionFilterConfig,
  RateLimitConfig,
  RateLimitOperationSpecConfig,
  RateLimitRegionSpecConfig,
  RegionalAccountConfig,
  RegionalAccountSetConfig,
  RegionalAccountsCommonConfig,
  RegionalAccountsConfig,
  SectionTypes,
  ServiceEndpointsConfig,
  SessionParametersConfig,
} from './types';
export { validateSection } from './validateSection';
export type { ValidateSectionOptions } from './validateSection';
export type { BuildOptions } from './BuildOptions';
export { buildAccount } from './buildAccount';
export { buildRegionalAccount } from './buildRegionalAccount';
export { buildRegionalAccounts } from './buildRegionalAccounts';
export { buildRegionalAccountSet } from './buildRegionalAccountSet';
export { buildRegionalAccountSetFromOrganization } from './buildRegionalAccountSetFromOrganization';
export { buildSession } from './buildSession';
export { closeConfiguredStores } from './closeConfiguredStores';
export { createObject, defaultRegistry, registerFactory } from './createObject';
export { FactoryRegistry } from './FactoryRegistry';
export type { AnyFactory, KnownFactories } from './FactoryRegistry';

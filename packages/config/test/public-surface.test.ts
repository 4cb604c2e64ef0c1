import { expect, it } from 'vitest';
import * as api from '../src/index';

it('the public surface is what the index exports by name', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "ConfigError",
      "ConfigPackageError",
      "DEFAULT_CONFIG_LIMITS",
      "FactoryRegistry",
      "FactoryRegistryError",
      "buildAccount",
      "buildRegionalAccount",
      "buildRegionalAccountSet",
      "buildRegionalAccountSetFromOrganization",
      "buildRegionalAccounts",
      "buildSession",
      "closeConfiguredStores",
      "createObject",
      "defaultRegistry",
      "documentSchema",
      "formatProblem",
      "getSection",
      "isConfigError",
      "isConfigPackageError",
      "isFactoryRegistryError",
      "loadConfig",
      "parseConfig",
      "registerFactory",
      "sectionNames",
      "sectionSchemas",
      "validateSection",
    ]
  `);
});

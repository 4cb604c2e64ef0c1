import { sectionNames, sectionSchemas } from './sectionSchemas';

function withoutSchemaKeyword(schema: object): object {
  const { $schema: _drop, ...rest } = schema as Record<string, unknown>;
  return rest;
}

const sectionRefs = Object.fromEntries(
  sectionNames.map((name) => [name, { $ref: `#/definitions/${name}` }]),
);

/**
 * The JSON Schema (draft-07) of a whole configuration document, shipped as
 * `@cs/config/schema.json`. Top-level keys are free: application sections (`YourApp:`) and keys that
 * only carry anchors. Wherever a key named after a section appears (`Account`, `RateLimit`,
 * `RegionalAccountSet`, ...), at any depth outside another section, its value is validated as that
 * section; everything else is left to the application.
 *
 * @example
 * ```yaml
 * # yaml-language-server: $schema=./node_modules/@cs/config/schema.json
 * YourApp:
 *   RegionalAccountSet:
 *     - RegionalAccounts: { Account: {}, Filter: { Partitions: { aws: {} } } }
 * ```
 * @public
 */
export const documentSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'cs-aws configuration',
  description:
    'A cs-aws configuration document: free-form application sections in which keys named after a section (Account, RateLimit, RegionalAccounts, RegionalAccountSet, ...) are validated as that section.',
  type: 'object',
  properties: sectionRefs,
  additionalProperties: { $ref: '#/definitions/Node' },
  definitions: {
    Node: {
      description:
        'Any value of an application section; keys named after a section are validated as that section.',
      properties: sectionRefs,
      additionalProperties: { $ref: '#/definitions/Node' },
      items: { $ref: '#/definitions/Node' },
    },
    ...Object.fromEntries(
      sectionNames.map((name) => [name, withoutSchemaKeyword(sectionSchemas[name])]),
    ),
  },
} as const;

import { sectionNames, sectionSchemas } from './sectionSchemas';
import type { JsonSchema } from './sectionSchemas';

const SECTION_TITLES = new Set<string>(sectionNames);

/**
 * A section's schema for the document's `definitions`: without `$schema`, and with every nested
 * section (an object titled with a section's name) replaced by a `$ref` to its definition, so that
 * each section is compiled once.
 */
function asDefinition(schema: object): object {
  const visit = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => visit(item, false));
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    if (!root && typeof record.title === 'string' && SECTION_TITLES.has(record.title)) {
      return { $ref: `#/definitions/${record.title}` };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (root && key === '$schema') continue;
      out[key] = visit(value, false);
    }
    return out;
  };
  return visit(schema, true) as object;
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
export const documentSchema: JsonSchema & { readonly $id: string } = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:cs-aws:config',
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
    ...Object.fromEntries(sectionNames.map((name) => [name, asDefinition(sectionSchemas[name])])),
  },
};

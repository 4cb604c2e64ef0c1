import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { documentSchema, parseConfig, sectionNames, sectionSchemas } from '../src/index';
import { fixture, readmeEnv } from './helpers';

const packageFile = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));

/** Replaces every `$ref` to a definition of the document schema by the definition, recursively. */
function dereference(node: unknown, definitions: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => dereference(item, definitions));
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string') {
    const name = record.$ref.replace('#/definitions/', '');
    return dereference(definitions[name], definitions);
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, dereference(value, definitions)]),
  );
}

describe('the schemas shipped as JSON files', () => {
  it('schema.json is the document schema the validator uses', () => {
    expect(packageFile('schema.json')).toEqual(documentSchema);
  });

  it.each(sectionNames.map((name) => [name]))(
    'schemas/%s.json is the section schema the validator uses',
    (name) => {
      expect(packageFile(`schemas/${name}.json`)).toEqual(sectionSchemas[name]);
    },
  );

  it("each definition of schema.json, its $refs expanded, is the section's own schema", () => {
    const definitions = (documentSchema.definitions ?? {}) as Record<string, unknown>;
    for (const name of sectionNames) {
      const { $schema: _drop, ...own } = sectionSchemas[name];
      expect(dereference(definitions[name], definitions), name).toEqual(own);
    }
  });

  it('the package exports the schema files and publishes them', () => {
    const manifest = packageFile('package.json') as {
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(manifest.exports['./schema.json']).toBe('./schema.json');
    expect(manifest.exports['./schemas/*.json']).toBe('./schemas/*.json');
    expect(manifest.files).toEqual(expect.arrayContaining(['schema.json', 'schemas']));
  });

  it('every file is a valid draft-07 schema that a plain validator (as an editor) can compile', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const document = ajv.compile(packageFile('schema.json') as object);
    for (const name of sectionNames) {
      expect(ajv.validateSchema(packageFile(`schemas/${name}.json`) as object), name).toBe(true);
    }
    // What an editor sees: the README configuration of the original, rendered, is valid.
    expect(document(parseConfig(fixture('two-region-groups.yaml.tmpl'), { env: readmeEnv }))).toBe(
      true,
    );
    expect(document({ YourApp: { RateLimit: { max_count: 'x' } } })).toBe(false);
  });
});

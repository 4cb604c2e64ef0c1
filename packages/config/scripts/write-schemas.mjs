// Writes the JSON Schemas that the package ships (schema.json and schemas/<Section>.json) from the
// built package, so that the files are exactly the objects the validator uses; run by `build`,
// formatted as the repository's Prettier check expects. test/schema-files.test.ts checks that the
// committed files are up to date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { documentSchema, sectionNames, sectionSchemas } from '../dist/index.js';

const root = new URL('../', import.meta.url);
const write = async (path, value) => {
  const url = new URL(path, root);
  const options = (await prettier.resolveConfig(fileURLToPath(url))) ?? {};
  const text = await prettier.format(JSON.stringify(value), { ...options, parser: 'json' });
  writeFileSync(url, text);
};

await write('schema.json', documentSchema);
mkdirSync(new URL('schemas/', root), { recursive: true });
for (const name of sectionNames) await write(`schemas/${name}.json`, sectionSchemas[name]);

// Writes src/schema/sectionTypes.ts: the TypeScript type of every configuration section, derived
// from its schema (src/schema/sectionSource.ts) by json-schema-to-ts's FromSchema and printed as
// plain declarations, so that the published .d.ts carries readable types and needs neither
// json-schema-to-ts nor the schemas' literal types. A section nested in another (an object whose
// title is a section's name), or another titled part of a schema (`Adaptive`), is printed as a
// reference to its own type; SessionParameters and ServiceEndpoints are @cs/session's types. Run by `build`; test/section-types.test.ts checks
// at compile time that every printed type is the one FromSchema derives, so a stale file fails
// `typecheck`.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import prettier from 'prettier';
import ts from 'typescript';

const root = fileURLToPath(new URL('../', import.meta.url));
const output = `${root}src/schema/sectionTypes.ts`;
const probe = `${root}src/schema/__sectionTypesProbe.ts`;

/** The schemas, straight from the TypeScript source. */
async function loadSchemas() {
  const bundled = await build({
    entryPoints: [`${root}src/schema/sectionSource.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'error',
  });
  const text = bundled.outputFiles[0].text;
  const module = await import(
    `data:text/javascript;base64,${Buffer.from(text).toString('base64')}`
  );
  return module.sectionSchemaSource;
}
const schemas = await loadSchemas();

/** The types of the package below that stand for a section (not printed from the schema). */
const owned = {
  SessionParameters: 'SessionParametersConfig',
  ServiceEndpoints: 'ServiceEndpointsConfig',
};

/**
 * The shapes that get a named type: every section, and every other part of a schema that has a
 * `title` (`Adaptive`), found at its first place. `path` is where its schema is in the sources.
 */
const shapes = Object.keys(schemas).map((section) => ({
  title: section,
  path: [section],
  schema: schemas[section],
}));
const findTitled = (node, path) => {
  if (typeof node !== 'object' || node === null) return;
  const title = path.length > 1 ? node.title : undefined;
  if (typeof title === 'string' && !shapes.some((shape) => shape.title === title)) {
    shapes.push({ title, path, schema: node });
  }
  for (const [key, value] of Object.entries(node)) findTitled(value, [...path, key]);
};
for (const section of Object.keys(schemas)) findTitled(schemas[section], [section]);
for (const shape of shapes) shape.typeName = owned[shape.title] ?? `${shape.title}Config`;

// A probe module: for each shape, FromSchema of its schema, the other shapes nested in it
// deserialised into placeholder interfaces named after their types (printed as references).
const placeholders = shapes.map(
  ({ title, typeName }) => `interface ${typeName} { readonly __shape: '${title}' }`,
);
const derived = shapes
  .filter(({ title }) => owned[title] === undefined)
  .map(({ title, typeName, path }) => {
    const nested = shapes
      .filter((other) => other.title !== title)
      .map((other) => `{ pattern: { title: '${other.title}' }; output: ${other.typeName} }`);
    const schema = `Source${path.map((key) => `['${key}']`).join('')}`;
    return `export type ${typeName}__ = FromSchema<${schema}, { deserialize: [${nested.join(', ')}] }>;`;
  });
const probeText = [
  "import type { FromSchema } from 'json-schema-to-ts';",
  "import type { sectionSchemaSource } from './sectionSource';",
  'type Source = typeof sectionSchemaSource;',
  ...placeholders,
  ...derived,
].join('\n');

const configFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
const { options } = ts.parseJsonConfigFileContent(
  ts.readConfigFile(configFile, ts.sys.readFile).config,
  ts.sys,
  root,
);
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const getSourceFile = host.getSourceFile.bind(host);
host.readFile = (file) => (file === probe ? probeText : readFile(file));
host.fileExists = (file) => file === probe || ts.sys.fileExists(file);
host.getSourceFile = (file, language, ...rest) =>
  file === probe
    ? ts.createSourceFile(file, probeText, language, true)
    : getSourceFile(file, language, ...rest);
const program = ts.createProgram([probe], options, host);
const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(probe));
if (problems.length > 0) {
  throw new Error(ts.formatDiagnostics(problems, host));
}
const checker = program.getTypeChecker();

/** The `properties` objects of the schemas, in the order the schemas list them. */
const propertyObjects = [];
const collectProperties = (node) => {
  if (typeof node !== 'object' || node === null) return;
  if (!Array.isArray(node) && typeof node.properties === 'object') {
    propertyObjects.push(node.properties);
  }
  Object.values(node).forEach(collectProperties);
};
collectProperties(Object.values(schemas));

/**
 * The members of an object type in the order of the schema's `properties` they come from (the one
 * with the same keys), each with the property's `description` as its documentation.
 */
function fromSchemaProperties(members) {
  const names = members.map((member) => member.name?.text);
  const properties = propertyObjects.find(
    (candidate) =>
      Object.keys(candidate).length === names.length &&
      names.every((name) => Object.hasOwn(candidate, name)),
  );
  if (properties === undefined) return members;
  const order = Object.keys(properties);
  return [...members]
    .sort((a, b) => order.indexOf(a.name.text) - order.indexOf(b.name.text))
    .map((member) => {
      const { description } = properties[member.name.text];
      if (typeof description !== 'string') return member;
      const lines = wrap(description, 90);
      const comment =
        lines.length === 1 ? `* ${description} ` : `*\n${lines.map((l) => `${l}\n`).join('')} `;
      return ts.addSyntheticLeadingComment(
        member,
        ts.SyntaxKind.MultiLineCommentTrivia,
        comment,
        true,
      );
    });
}

/**
 * A union of object types that share some properties (a `oneOf` of `required` lists), as the shared
 * properties and the union of what differs: `{ shared } & ({ Account: A; ... } | { ... })`.
 */
function factorUnion(union, file) {
  const objects = union.types;
  if (objects.length < 2 || !objects.every(ts.isTypeLiteralNode)) return union;
  const printer = ts.createPrinter({ removeComments: true });
  const text = (member) => printer.printNode(ts.EmitHint.Unspecified, member, file);
  const [first, ...others] = objects;
  const shared = first.members.filter((member) =>
    others.every((other) => other.members.some((m) => text(m) === text(member))),
  );
  if (shared.length === 0) return union;
  const sharedText = new Set(shared.map(text));
  const rest = objects.map((object) =>
    ts.factory.createTypeLiteralNode(object.members.filter((m) => !sharedText.has(text(m)))),
  );
  return ts.factory.createIntersectionTypeNode([
    ts.factory.createTypeLiteralNode(shared),
    ts.factory.createParenthesizedType(ts.factory.createUnionTypeNode(rest)),
  ]);
}

/**
 * The printed type, re-parsed: properties in the schema's order, `?: T` without `| undefined`;
 * and whether it is an object type (declared as an interface).
 */
function tidy(typeText) {
  const file = ts.createSourceFile('t.ts', `type T = ${typeText};`, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    node = ts.visitEachChild(node, visit, undefined);
    if (ts.isUnionTypeNode(node)) return factorUnion(node, file);
    if (ts.isTypeLiteralNode(node)) {
      const members = fromSchemaProperties([...node.members]);
      return ts.factory.updateTypeLiteralNode(node, ts.factory.createNodeArray(members));
    }
    if (ts.isIndexSignatureDeclaration(node)) {
      const [parameter] = node.parameters;
      const key = ts.factory.updateParameterDeclaration(
        parameter,
        parameter.modifiers,
        parameter.dotDotDotToken,
        'key',
        parameter.questionToken,
        parameter.type,
        parameter.initializer,
      );
      return ts.factory.updateIndexSignature(node, node.modifiers, [key], node.type);
    }
    if (
      ts.isPropertySignature(node) &&
      node.questionToken &&
      node.type &&
      ts.isUnionTypeNode(node.type)
    ) {
      const kept = node.type.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
      const type = kept.length === 1 ? kept[0] : ts.factory.createUnionTypeNode(kept);
      return ts.factory.updatePropertySignature(
        node,
        node.modifiers,
        node.name,
        node.questionToken,
        type,
      );
    }
    return node;
  };
  const alias = ts.visitNode(file.statements[0], visit);
  const text = ts.createPrinter().printNode(ts.EmitHint.Unspecified, alias.type, file);
  return { text, isObject: ts.isTypeLiteralNode(alias.type) };
}

const flags =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.InTypeAlias |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
const declarations = [];
const probeFile = program.getSourceFile(probe);
for (const statement of probeFile.statements) {
  if (!ts.isTypeAliasDeclaration(statement) || !statement.name.text.endsWith('__')) continue;
  const name = statement.name.text.replace(/__$/, '');
  const { title, schema } = shapes.find((shape) => shape.typeName === name);
  const { description } = schema;
  const { text, isObject } = tidy(
    checker.typeToString(checker.getTypeAtLocation(statement.name), undefined, flags),
  );
  const doc = [
    '/**',
    ...wrap(`\`${title}\`: ${lowerFirst(description)}`, 97),
    ' *',
    ' * @public',
    ' */',
  ];
  declarations.push(
    isObject
      ? `${doc.join('\n')}\nexport interface ${name} ${text}\n`
      : `${doc.join('\n')}\nexport type ${name} = ${text};\n`,
  );
}

/** The schema's description as the type's documentation: `An account` reads `` `Account`: an account``. */
function lowerFirst(text) {
  return /^[A-Z](?![A-Z])/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/** A documentation paragraph as ` * ` lines of at most `width` characters. */
function wrap(text, width) {
  const lines = [];
  let line = ' *';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' *';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

const sections = shapes.filter(({ path }) => path.length === 1);
declarations.push(
  [
    '/**',
    ' * The type of each section, by name.',
    ' *',
    ' * @public',
    ' */',
    'export interface SectionTypes {',
    ...sections.map(({ title, typeName }) => `  ${title}: ${typeName};`),
    '}',
  ].join('\n'),
);

const text = [
  '// Generated by scripts/generate-section-types.mjs from the schemas of ./sectionSource.ts',
  "// (json-schema-to-ts's FromSchema), run by `pnpm run build`; do not edit.",
  '',
  `import type { ${Object.values(owned).join(', ')} } from '../types';`,
  '',
  ...declarations,
].join('\n');
const prettierOptions = (await prettier.resolveConfig(output)) ?? {};
writeFileSync(output, await prettier.format(text, { ...prettierOptions, parser: 'typescript' }));

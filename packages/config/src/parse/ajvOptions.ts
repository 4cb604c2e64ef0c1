import type { Options } from 'ajv';

/**
 * The ajv options of the schema validators. scripts/generate-validators.mjs compiles the schemas
 * with them at build time (adding only the code-generation options), and
 * test/precompiled-validators.test.ts compiles them again at test time with the same options, to
 * check that the generated code reports the same errors. Change them only here.
 */
export const ajvOptions = {
  allErrors: true,
  // Errors carry their schema and parent schema: the messages read descriptions and known keys.
  verbose: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true,
  // Each definition compiled once, called by reference: halves the generated code.
  inlineRefs: false,
} as const satisfies Options;

/** The schema ids the generated module exports a validator for, by export name. */
export function validatorIds(
  documentId: string,
  sectionNames: readonly string[],
): Record<string, string> {
  return {
    document: documentId,
    ...Object.fromEntries(sectionNames.map((name) => [name, `${documentId}#/definitions/${name}`])),
  };
}

/**
 * What the generated validators depend on, as text: scripts/generate-validators.mjs records its
 * SHA-256 in the generated module, and a test compares it with the current sources' to catch a
 * module generated from older schemas.
 */
export function validatorsInput(documentSchema: object): string {
  return JSON.stringify({ ajvOptions, documentSchema });
}

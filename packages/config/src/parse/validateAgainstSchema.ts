import type { ErrorObject } from 'ajv';
import type { SectionName } from '../sectionSchemas';
import { didYouMean } from './didYouMean';
import type { PathSegment } from '../document/documentPath';
import { pointerToSegments, valueAt } from '../document/documentPath';
// Generated at build time by scripts/generate-validators.mjs (ajv's standalone code of
// schema.json): no schema is compiled at run time, and ajv itself is not loaded.
import * as generated from './generated/validators';
import type { GeneratedValidator } from './generated/validators';

/** A validation problem before it is placed in a file. */
export interface SchemaProblem {
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

/**
 * The validator of the document or of one section. Every validator comes from the one document
 * schema (`schema.json`): a section's is its definition.
 */
function validatorFor(name: SectionName | 'document'): GeneratedValidator {
  return generated[name];
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'nothing',
};

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

const quote = (s: string): string => `'${s}'`;
const orList = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] as string}`;

function describe(error: ErrorObject, data: unknown): SchemaProblem | undefined {
  // An error inside `propertyNames` is reported by the `propertyNames` error itself, and the
  // errors inside a `oneOf` branch by the `oneOf` error.
  if (error.propertyName !== undefined || error.schemaPath.includes('/oneOf/')) return undefined;
  const segments = pointerToSegments(error.instancePath, data);
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const description = typeof parent.description === 'string' ? parent.description : undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((parent.properties as object | undefined) ?? {});
      const suggestion = didYouMean(key, known);
      return {
        segments: [...segments, key],
        message:
          suggestion !== undefined
            ? `unknown key ${quote(key)}; did you mean ${quote(suggestion)}?`
            : `unknown key ${quote(key)}; expected one of: ${known.join(', ')}`,
      };
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      const names = (parent.propertyNames ?? {}) as Record<string, unknown>;
      const expected = typeof names.description === 'string' ? names.description : 'another key';
      return {
        segments: [...segments, key],
        message: `key ${quote(key)} is not valid: expected ${expected}`,
      };
    }
    case 'required':
      return { segments, message: `missing required key ${quote(String(params.missingProperty))}` };
    case 'type': {
      const types = String(params.type).split(',');
      const expected = orList(types.map((t) => TYPE_WORDS[t] ?? t));
      return { segments, message: `expected ${expected}, got ${kindOf(valueAt(data, segments))}` };
    }
    case 'enum':
      return {
        segments,
        message: `expected one of: ${((params.allowedValues as unknown[]) ?? []).map(String).join(', ')}`,
      };
    case 'pattern':
      return {
        segments,
        message: `expected ${description ?? `text matching ${String(params.pattern)}`}`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        segments,
        message: `expected a number ${String(params.comparison)} ${String(params.limit)}`,
      };
    case 'minLength':
      return {
        segments,
        message:
          params.limit === 1
            ? 'must not be empty'
            : `expected at least ${String(params.limit)} characters`,
      };
    case 'minItems':
      return {
        segments,
        message: `expected a list of at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
      };
    case 'not': {
      const required = ((error.schema as { required?: unknown[] } | undefined)?.required ?? []).map(
        String,
      );
      return {
        segments,
        message:
          required.length > 0
            ? `give ${orList(required.map(quote))}, not both: they are two spellings of one setting`
            : 'is not valid here',
      };
    }
    case 'oneOf': {
      const branches = (Array.isArray(error.schema) ? error.schema : []) as {
        required?: unknown[];
      }[];
      const names = branches.flatMap((b) => (b.required ?? []).map(String)).map(quote);
      return {
        segments,
        message: Array.isArray(params.passingSchemas)
          ? `give only one of ${orList(names)}`
          : `missing ${orList(names)}: give one of them`,
      };
    }
    default:
      return { segments, message: error.message ?? `is not valid (${error.keyword})` };
  }
}

/**
 * Validates a whole document (or one section, by name) with the schemas, and describes every
 * error: the path, and what was expected. No configured value is ever put into a message (only
 * keys, and the kind of a value: "got a string").
 */
export function validateAgainstSchema(
  data: unknown,
  schema: SectionName | 'document',
): SchemaProblem[] {
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = describe(error, data);
    if (problem === undefined) continue;
    const key = `${JSON.stringify(problem.segments)} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

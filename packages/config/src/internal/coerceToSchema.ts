import { sectionSchemaSource as sectionSchemas } from './schemaSource';
import { walkEntries } from './walkEntries';

/** The part of a JSON Schema that coercion reads. */
interface SchemaLike {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaLike>>;
  readonly additionalProperties?: boolean | SchemaLike;
  readonly items?: SchemaLike;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'off']);
const NUMBER_TEXT = /^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/;

function typesOf(schema: SchemaLike): readonly string[] | undefined {
  if (schema.type === undefined) return undefined;
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

function coerceScalar(value: unknown, types: readonly string[]): unknown {
  const wants = (t: string): boolean => types.includes(t);
  if (typeof value === 'string') {
    if ((wants('number') || wants('integer')) && NUMBER_TEXT.test(value)) {
      const n = Number(value);
      if (Number.isFinite(n)) return n;
    }
    if (wants('boolean') && !wants('string')) {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
    }
    return value;
  }
  if (typeof value === 'number' && wants('string') && !wants('number') && !wants('integer')) {
    return Number.isFinite(value) ? String(value) : value;
  }
  return value;
}

/**
 * Converts, in place, the scalars whose type the schema tells and the YAML did not: `"10"` where
 * an integer is expected, `123456789012` where a string is (an account id), `yes`/`True` from a
 * template where a boolean is. `null` is never converted (a missing value stays an error).
 */
function coerce(value: unknown, schema: SchemaLike): unknown {
  const types = typesOf(schema);
  if (Array.isArray(value)) {
    if (schema.items !== undefined && (types === undefined || types.includes('array'))) {
      for (let i = 0; i < value.length; i += 1) value[i] = coerce(value[i], schema.items);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    if (types !== undefined && !types.includes('object')) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child =
        schema.properties !== undefined &&
        Object.prototype.hasOwnProperty.call(schema.properties, key)
          ? schema.properties[key]
          : typeof schema.additionalProperties === 'object'
            ? schema.additionalProperties
            : undefined;
      if (child !== undefined) record[key] = coerce(record[key], child);
    }
    return value;
  }
  return types === undefined ? value : coerceScalar(value, types);
}

const sections = sectionSchemas as unknown as Readonly<Record<string, SchemaLike>>;

/**
 * Coerces one section in place and returns its (possibly replaced) value.
 */
export function coerceSection(value: unknown, section: string): unknown {
  const schema = sections[section];
  return schema === undefined ? value : coerce(value, schema);
}

/**
 * Coerces a whole document in place: every value under a key named after a section, at any depth
 * outside another section, as that section (the rule of the document schema).
 */
export function coerceDocument(data: unknown): void {
  walkEntries(data, (record, key) => {
    if (!Object.prototype.hasOwnProperty.call(sections, key)) return true;
    record[key] = coerceSection(record[key], key);
    return false;
  });
}

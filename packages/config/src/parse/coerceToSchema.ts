import { sectionSchemaSource as sectionSchemas } from '../schema/sectionSource';
import { walkEntries } from '../document/walkEntries';

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
 * The copies made so far in copy mode, per schema and original object: an object reached twice
 * (a YAML alias) gives one copy, and a cycle ends.
 */
type Copies = Map<SchemaLike, Map<object, unknown>>;

/**
 * Converts the scalars whose type the schema tells and the YAML did not: `"10"` where an integer
 * is expected, `123456789012` where a string is (an account id), `yes`/`True` from a template
 * where a boolean is. `null` is never converted (a missing value stays an error). Without
 * `copies`, in place (a parsed document, which the parser owns); with `copies`, copy on write:
 * the value is never changed, and a mapping or list is copied only when something in it changes.
 */
function coerce(value: unknown, schema: SchemaLike, copies?: Copies): unknown {
  const types = typesOf(schema);
  if (typeof value !== 'object' || value === null) {
    return types === undefined ? value : coerceScalar(value, types);
  }
  const childOf = (key: string | number): SchemaLike | undefined => {
    if (Array.isArray(value)) return schema.items;
    return schema.properties !== undefined &&
      Object.prototype.hasOwnProperty.call(schema.properties, key)
      ? schema.properties[key]
      : typeof schema.additionalProperties === 'object'
        ? schema.additionalProperties
        : undefined;
  };
  if (Array.isArray(value)) {
    if (schema.items === undefined || (types !== undefined && !types.includes('array'))) {
      return value;
    }
  } else if (types !== undefined && !types.includes('object')) {
    return value;
  }
  if (copies === undefined) {
    const record = value as Record<string | number, unknown>;
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(record);
    for (const key of keys) {
      const child = childOf(key);
      if (child !== undefined) record[key] = coerce(record[key], child);
    }
    return value;
  }
  let bySchema = copies.get(schema);
  if (bySchema === undefined) {
    bySchema = new Map();
    copies.set(schema, bySchema);
  }
  if (bySchema.has(value)) return bySchema.get(value);
  bySchema.set(value, value); // a cycle back here keeps the original
  const record = value as Record<string | number, unknown>;
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(record);
  let copy: Record<string | number, unknown> | unknown[] | undefined;
  for (const key of keys) {
    const child = childOf(key);
    if (child === undefined) continue;
    const next = coerce(record[key], child, copies);
    if (Object.is(next, record[key])) continue;
    copy ??= Array.isArray(value) ? [...(value as unknown[])] : { ...record };
    (copy as Record<string | number, unknown>)[key] = next;
  }
  const result = copy ?? value;
  bySchema.set(value, result);
  return result;
}

const sections = sectionSchemas as unknown as Readonly<Record<string, SchemaLike>>;

/**
 * Coerces one section and returns its coerced value: the given value is never changed (copied on
 * write), so that a section a caller wrote, or froze, can be validated and built again.
 */
export function coerceSection(value: unknown, section: string): unknown {
  const schema = sections[section];
  return schema === undefined ? value : coerce(value, schema, new Map());
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

import type { PathSegment } from './documentPath';

/**
 * Visits every key of every mapping of a parsed document, at any depth, with the path of the
 * mapping: lists are walked through, and an object shared by YAML aliases is visited once (so a
 * cycle ends). `onEntry` may replace `record[key]`, and returns whether to go on into its value.
 * The one walk of the document's keys: coercion, near-miss warnings and the Redis store search
 * all use it.
 *
 * @internal
 */
export function walkEntries(
  data: unknown,
  onEntry: (record: Record<string, unknown>, key: string, path: readonly PathSegment[]) => boolean,
): void {
  const seen = new WeakSet<object>();
  const visit = (value: unknown, path: readonly PathSegment[]): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (onEntry(record, key, path)) visit(record[key], [...path, key]);
    }
  };
  visit(data, []);
}

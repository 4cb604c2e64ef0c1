import type { LineIndex } from '../parse/parseYaml';

/** Where an object of a parsed document came from: its file and the document's line index. */
export interface DocumentOrigin {
  readonly source: string;
  readonly lines: LineIndex;
}

const origins = new WeakMap<object, DocumentOrigin>();

/**
 * Remembers, for every mapping and list of a parsed document, its file and line index, so that a
 * builder given a section of it can place its problems at their lines.
 */
export function rememberOrigin(data: unknown, origin: DocumentOrigin): void {
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || origins.has(value)) return;
    origins.set(value, origin);
    for (const item of Array.isArray(value) ? value : Object.values(value)) visit(item);
  };
  visit(data);
}

/** The origin of an object of a parsed document, if it came from one. */
export function originOf(value: unknown): DocumentOrigin | undefined {
  return typeof value === 'object' && value !== null ? origins.get(value) : undefined;
}

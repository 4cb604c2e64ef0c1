import type { LineIndex } from '../parse/parseYaml';

/** One step of a path: a key of a mapping or an index of a sequence. */
export type PathSegment = string | number;

/** Formats a path as `YourApp.RegionalAccountSet[1].RegionalAccounts.RateLimit.max_count`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$*{][\w$*:{}-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Parses an ajv instance path (a JSON pointer) against the data, telling indexes from keys. */
export function pointerToSegments(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(key)) {
      segments.push(Number(key));
      node = node[Number(key)];
    } else {
      segments.push(key);
      node =
        typeof node === 'object' && node !== null && Object.prototype.hasOwnProperty.call(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return segments;
}

/** The value at a path, or undefined. */
export function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let node: unknown = data;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = String(segment);
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The 1-based line of the last segment of a path that the index knows (the key or item where the
 * path ends, or the nearest one above it); undefined when none is known.
 */
export function lineAt(
  data: unknown,
  segments: readonly PathSegment[],
  lines: LineIndex | undefined,
): number | undefined {
  if (lines === undefined) return undefined;
  let node: unknown = data;
  let line: number | undefined;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) break;
    const key = String(segment);
    const found = lines.get(node)?.get(key);
    if (found !== undefined) line = found;
    if (!Object.prototype.hasOwnProperty.call(node, key)) break;
    node = (node as Record<string, unknown>)[key];
  }
  return line;
}

/** Parses a path as `formatPath` prints it; undefined when it is not one. */
export function parsePath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  const pattern = /(?:^|\.)([^.[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3] as string) as string);
    consumed = pattern.lastIndex;
  }
  return consumed === path.length && segments.length > 0 ? segments : undefined;
}

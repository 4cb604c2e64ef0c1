import yaml from 'js-yaml';

/** The 1-based line of each key of a mapping, or of each item of a sequence, by object. */
export type LineIndex = WeakMap<object, Map<string, number>>;

/** A key given twice in one mapping: the last one wins, as in the original's parser. */
export interface DuplicateKey {
  readonly key: string;
  readonly line: number;
  readonly firstLine: number;
}

/** The parsed document and what the parser could tell about it. */
export type ParsedYaml =
  | {
      readonly ok: true;
      readonly data: unknown;
      readonly lines: LineIndex;
      readonly duplicates: readonly DuplicateKey[];
    }
  | { readonly ok: false; readonly line?: number; readonly message: string };

interface Node {
  readonly result: unknown;
  readonly kind: string | null;
  readonly line: number;
}

interface Frame {
  readonly openPosition: number;
  readonly children: Node[];
}

/** Options of {@link parseYaml}. */
export interface ParseYamlOptions {
  /** The most nodes the document may have once its aliases are expanded. */
  readonly maxNodes: number;
  /** The template's line of each line of the text (index 0: line 1), to report template lines. */
  readonly sourceLines?: readonly number[];
}

/** Thrown inside the count when an alias is inside the node it names. */
class CycleFound extends Error {}
const CYCLE = Symbol('cycle');

/**
 * The number of nodes of a parsed document once its aliases are expanded (every mapping, list, key
 * and scalar), counted once per distinct object (an alias is the same object as its anchor), so
 * without expanding anything: at most `limit + 1` (past the limit, counting stops), or `CYCLE` for
 * an alias inside the node it names (an endless expansion).
 */
function expandedSize(root: unknown, limit: number): number | typeof CYCLE {
  const sizes = new Map<object, number>();
  const active = new Set<object>();
  const size = (value: unknown): number => {
    if (typeof value !== 'object' || value === null) return 1;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (active.has(value)) throw new CycleFound();
    active.add(value);
    let total = 1;
    if (Array.isArray(value)) {
      for (const item of value) {
        total += size(item);
        if (total > limit) break;
      }
    } else {
      for (const key of Object.keys(value)) {
        total += 1 + size((value as Record<string, unknown>)[key]);
        if (total > limit) break;
      }
    }
    active.delete(value);
    const capped = Math.min(total, limit + 1);
    sizes.set(value, capped);
    return capped;
  };
  try {
    return size(root);
  } catch (error) {
    if (error instanceof CycleFound) return CYCLE;
    throw error;
  }
}

/**
 * Parses YAML with js-yaml (anchors, aliases, merge keys; `True`/`False` are booleans), allowing a
 * key twice in a mapping (the last wins; reported in `duplicates`), and indexing the line of every
 * key and item through js-yaml's parse events, by object: an alias is the same object as its
 * anchor, so a path through an alias finds the anchor's lines.
 */
export function parseYaml(text: string, options: ParseYamlOptions): ParsedYaml {
  const sourceLines = options.sourceLines;
  const toSource = (line: number): number => {
    if (sourceLines === undefined || sourceLines.length === 0) return line;
    const mapped = sourceLines[line - 1];
    if (mapped !== undefined) return mapped;
    return (sourceLines.at(-1) as number) + line - sourceLines.length;
  };
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineAt = (position: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] as number) <= position) low = mid;
      else high = mid - 1;
    }
    return toSource(low + 1);
  };
  // The first character of a node's content at or after `position`: separation spaces, comments
  // and a block sequence's `- ` come before it.
  const contentLine = (position: number): number => {
    let p = position;
    while (p < text.length) {
      const c = text[p];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') p += 1;
      else if (c === '#') while (p < text.length && text[p] !== '\n') p += 1;
      else if ((c === '-' || c === '?') && /[\s]/.test(text[p + 1] ?? ' ')) p += 1;
      else break;
    }
    return lineAt(Math.min(p, Math.max(text.length - 1, 0)));
  };

  const lines: LineIndex = new WeakMap();
  const duplicates: DuplicateKey[] = [];
  const stack: Frame[] = [];

  const indexMapping = (mapping: object, children: readonly Node[]): void => {
    if (children.length % 2 !== 0) return;
    const own = new Map<string, number>();
    const merged: Node[] = [];
    for (let i = 0; i < children.length; i += 2) {
      const keyNode = children[i] as Node;
      const valueNode = children[i + 1] as Node;
      const key = String(keyNode.result);
      if (key === '<<' && keyNode.kind === 'scalar') {
        merged.push(valueNode);
        continue;
      }
      const first = own.get(key);
      if (first !== undefined) duplicates.push({ key, line: keyNode.line, firstLine: first });
      own.set(key, keyNode.line);
    }
    const index = new Map<string, number>();
    for (const node of merged) {
      const sources = Array.isArray(node.result) ? (node.result as unknown[]) : [node.result];
      for (const source of sources) {
        if (typeof source !== 'object' || source === null) continue;
        for (const [key, line] of lines.get(source) ?? [])
          if (!index.has(key)) index.set(key, line);
      }
    }
    for (const [key, line] of own) index.set(key, line);
    lines.set(mapping, index);
  };

  try {
    const data = yaml.load(text, {
      json: true,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ openPosition: state.position, children: [] });
          return;
        }
        const frame = stack.pop();
        if (frame === undefined) return;
        const node: Node = {
          result: state.result,
          kind: state.kind,
          line: contentLine(frame.openPosition),
        };
        if (typeof node.result === 'object' && node.result !== null) {
          if (node.kind === 'mapping' && !Array.isArray(node.result)) {
            indexMapping(node.result, frame.children);
          } else if (node.kind === 'sequence' && Array.isArray(node.result)) {
            lines.set(node.result, new Map(frame.children.map((c, i) => [String(i), c.line])));
          }
        }
        stack.at(-1)?.children.push(node);
      },
    });
    const size = expandedSize(data, options.maxNodes);
    if (size === CYCLE) {
      return {
        ok: false,
        message:
          'an alias names a node that contains it, so the document never ends: use an alias only after its anchor is complete',
      };
    }
    if (size > options.maxNodes) {
      return {
        ok: false,
        message: `the document has more than ${options.maxNodes} nodes once its aliases are expanded (the limit maxNodes): an alias bomb, or aliases of aliases nested too deep; write the repeated parts once`,
      };
    }
    return { ok: true, data, lines, duplicates };
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const mark = (error as { mark?: { line?: number } }).mark;
      return {
        ok: false,
        ...(typeof mark?.line === 'number' ? { line: toSource(mark.line + 1) } : {}),
        message: `invalid YAML: ${error.reason}`,
      };
    }
    return { ok: false, message: `invalid YAML: ${String(error)}` };
  }
}

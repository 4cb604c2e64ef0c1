import type { ConfigProblem } from '../errors';
import { formatPath, lineAt } from '../document/documentPath';
import type { LineIndex } from './parseYaml';
import type { SchemaProblem } from './validateAgainstSchema';

/** Where the problems of one document are placed: its file, line index and redaction. */
export interface ProblemContext {
  readonly file: string;
  readonly data: unknown;
  readonly lines?: LineIndex;
  /** A path the problems' paths are under (a section's place in its document). */
  readonly prefix?: string;
  readonly redact?: (text: string) => string;
}

/** Turns schema problems into `ConfigProblem`s, with the file, the line and the formatted path. */
export function placeProblems(
  problems: readonly SchemaProblem[],
  context: ProblemContext,
): ConfigProblem[] {
  const redact = context.redact ?? ((text: string) => text);
  const placed = problems.map((problem) => {
    const line = lineAt(context.data, problem.segments, context.lines);
    return {
      file: context.file,
      // Keys are redacted before the path is formatted, which may quote (and escape) them.
      path: redact(
        joinPath(
          context.prefix ?? '',
          formatPath(problem.segments.map((s) => (typeof s === 'string' ? redact(s) : s))),
        ),
      ),
      ...(line === undefined ? {} : { line }),
      message: redact(problem.message),
    };
  });
  return placed.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.path.localeCompare(b.path));
}

/** Joins a prefix path and a relative one: `a.b` + `c[0]` gives `a.b.c[0]`, `a` + `[1]` gives `a[1]`. */
export function joinPath(prefix: string, rest: string): string {
  if (prefix === '') return rest;
  if (rest === '') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

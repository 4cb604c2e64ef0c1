import type { BuildOptions } from '../BuildOptions';
import { ConfigError, isConfigError } from '../errors';
import type { ConfigProblem } from '../errors';
import type { SectionName } from '../sectionSchemas';
import type { RegionalAccountsConfig, SectionTypes } from '../types';
import { validateSection } from '../validateSection';
import { originOf } from '../document/documentOrigins';
import type { PathSegment } from '../document/documentPath';
import { formatPath, lineAt, parsePath } from '../document/documentPath';
import type { LineIndex } from '../parse/parseYaml';
import { joinPath } from '../parse/placeProblems';

/** Where a section being built sits, to place the problems of building it. */
export interface BuildSite {
  readonly file: string;
  readonly path: string;
  readonly data: unknown;
  readonly lines: LineIndex | undefined;
}

/** Validates a section for a builder, and tells where it sits. */
export function validateForBuild<K extends SectionName>(
  section: K,
  value: unknown,
  options: BuildOptions,
): { value: SectionTypes[K]; site: BuildSite } {
  const origin = originOf(value);
  const file = options.source ?? origin?.source ?? '<config>';
  const path = options.path ?? section;
  const validated = validateSection(section, value, { source: file, path });
  return { value: validated, site: { file, path, data: value, lines: origin?.lines } };
}

/** A problem at a path inside a section. */
export function problemAt(
  site: BuildSite,
  segments: readonly PathSegment[],
  message: string,
): ConfigProblem {
  const line = lineAt(site.data, segments, site.lines);
  return {
    file: site.file,
    path: joinPath(site.path, formatPath(segments)),
    ...(line === undefined ? {} : { line }),
    message,
  };
}

/** The site of a part of a section. */
export function siteOf(site: BuildSite, segments: readonly PathSegment[]): BuildSite {
  let data: unknown = site.data;
  for (const segment of segments) {
    data =
      typeof data === 'object' && data !== null
        ? (data as Record<string, unknown>)[String(segment)]
        : undefined;
  }
  return { ...site, path: joinPath(site.path, formatPath(segments)), data };
}

/**
 * The problems an error of a factory stands for: one per `path: message` entry when it lists
 * problems (a region filter error), else one at the section.
 */
export function problemsOfError(error: unknown, site: BuildSite): ConfigProblem[] {
  if (isConfigError(error)) return [...error.problems];
  const listed = (error as { problems?: unknown } | null)?.problems;
  if (Array.isArray(listed) && listed.every((p) => typeof p === 'string')) {
    return listed.map((entry) => {
      const match = /^([^\s:]+(?:\[[^\]]*\])*): ([\s\S]*)$/.exec(entry);
      const segments = match === null ? undefined : parsePath(match[1] as string);
      return segments === undefined
        ? problemAt(site, [], entry)
        : problemAt(site, segments, (match as RegExpExecArray)[2] as string);
    });
  }
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return [problemAt(site, [], `${name}: ${message}`)];
}

/** Runs a factory; its errors become one ConfigError placed at the section. */
export function buildSafely<T>(site: BuildSite, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new ConfigError(problemsOfError(error, site), { cause: error });
  }
}

/** Throws a ConfigError when there are problems. */
export function throwIfAny(problems: readonly ConfigProblem[]): void {
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The problem of an `Organization` given to a builder that makes no AWS call. */
export function organizationProblems(
  section: RegionalAccountsConfig,
  site: BuildSite,
): ConfigProblem[] {
  return section.Organization === undefined
    ? []
    : [
        problemAt(
          site,
          ['Organization'],
          'the accounts of an Organization are listed through AWS: build this with buildRegionalAccountSetFromOrganization (asynchronous)',
        ),
      ];
}

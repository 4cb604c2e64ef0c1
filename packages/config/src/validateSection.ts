import { ConfigError } from './errors';
import { coerceSection } from './parse/coerceToSchema';
import { originOf } from './document/documentOrigins';
import { placeProblems } from './parse/placeProblems';
import { validateAgainstSchema } from './parse/validateAgainstSchema';
import type { SectionName } from './sectionSchemas';
import type { SectionTypes } from './types';

/**
 * Options of {@link validateSection}.
 *
 * @public
 */
export interface ValidateSectionOptions {
  /**
   * The file name in problems.
   * @defaultValue the file the section was parsed from, else `'<config>'`
   */
  source?: string;
  /**
   * The section's place in its document, put in front of problems' paths.
   * @defaultValue the section's name
   */
  path?: string;
}

/**
 * Validates one section against its schema, converting in place the scalars whose type the schema
 * tells (`"10"` where an integer is expected), and returns it typed.
 *
 * @param section - the section's name, e.g. `'RegionalAccountSet'`.
 * @param value - the section's value (from a parsed document, or written in code).
 * @param options - `source`, `path`.
 * @returns the value, typed as the section.
 * @throws {@link ConfigError} with every problem found.
 * @example
 * ```ts
 * const limit = validateSection('RateLimit', { max_count: 10, interval: 1, block: true });
 * ```
 * @public
 */
export function validateSection<K extends SectionName>(
  section: K,
  value: unknown,
  options: ValidateSectionOptions = {},
): SectionTypes[K] {
  const coerced = coerceSection(value, section);
  const problems = validateAgainstSchema(coerced, section);
  if (problems.length > 0) {
    const origin = originOf(value);
    throw new ConfigError(
      placeProblems(problems, {
        file: options.source ?? origin?.source ?? '<config>',
        data: coerced,
        ...(origin === undefined ? {} : { lines: origin.lines }),
        prefix: options.path ?? section,
      }),
    );
  }
  return coerced as SectionTypes[K];
}

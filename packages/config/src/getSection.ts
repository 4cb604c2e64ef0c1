import { ConfigError } from './errors';
import { formatPath, parsePath } from './document/documentPath';
import type { SectionName } from './sectionSchemas';
import type { CsAwsConfig, SectionTypes } from './types';
import { validateSection } from './validateSection';

/**
 * Reads a section of a configuration by its path, as problems print it
 * (`YourApp.RegionalAccountSet`, `YourApp.RegionalAccountSet[0].RegionalAccounts`), and, given a
 * section name, validates it as that section and returns it typed.
 *
 * @param config - a configuration from {@link parseConfig} or {@link loadConfig}.
 * @param path - dot-separated keys, `[n]` for list items, `["a.b"]` for keys with dots.
 * @param section - the section the value must be.
 * @returns the value at the path.
 * @throws {@link ConfigError} when the path is malformed, when nothing is at it (the message
 * names the keys that are there), or when the value is not a valid `section`.
 * @example
 * ```ts
 * const set = getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet');
 * ```
 * @public
 */
export function getSection<K extends SectionName>(
  config: CsAwsConfig,
  path: string,
  section: K,
): SectionTypes[K];
export function getSection(config: CsAwsConfig, path: string): unknown;
export function getSection(config: CsAwsConfig, path: string, section?: SectionName): unknown {
  const segments = parsePath(path);
  if (segments === undefined) {
    throw new ConfigError([
      {
        file: '<config>',
        path,
        message: 'not a path: expected keys separated by dots, [n] for list items',
      },
    ]);
  }
  let node: unknown = config;
  for (let i = 0; i < segments.length; i += 1) {
    const key = String(segments[i]);
    if (
      typeof node !== 'object' ||
      node === null ||
      !Object.prototype.hasOwnProperty.call(node, key)
    ) {
      const at = formatPath(segments.slice(0, i));
      const there =
        typeof node === 'object' && node !== null
          ? `; ${at === '' ? 'the document' : at} has: ${Object.keys(node).join(', ') || 'nothing'}`
          : '';
      throw new ConfigError([
        {
          file: '<config>',
          path,
          message: `nothing at this path: no ${JSON.stringify(key)}${there}`,
        },
      ]);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return section === undefined ? node : validateSection(section, node, { path });
}

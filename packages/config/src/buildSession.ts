import type { Session } from '@cs/session';
import { sessionFactory } from '@cs/session';
import type { BuildOptions } from './BuildOptions';
import { buildSafely, validateForBuild } from './build/buildSafely';
import type { AccountConfig } from './types';

/**
 * Builds the session of an `Account` section (`SessionParameters`, `AssumeRole`, `AssumeRoles`)
 * through `sessionFactory` of `@cs/session`: the same section gives the same cached `Session`.
 * Makes no AWS call: roles are assumed when first needed (`await session.ready()` surfaces errors).
 *
 * @param section - an `Account` section, validated here (as from `getSection(config, path)`).
 * @param options - `source`, `path`, `logger`.
 * @returns the cached session.
 * @throws {@link ConfigError} with every problem of the section, at its file, path and line.
 * @example
 * ```ts
 * const session = buildSession(getSection(config, 'Account', 'Account'));
 * ```
 * @public
 */
export function buildSession(section: AccountConfig, options: BuildOptions = {}): Session {
  const { value, site } = validateForBuild('Account', section, options);
  return buildSafely(site, () =>
    sessionFactory(value, options.logger === undefined ? undefined : { logger: options.logger }),
  );
}

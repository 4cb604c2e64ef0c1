import type { Account } from '@cs/account';
import { accountFactory } from '@cs/account';
import type { BuildOptions } from './BuildOptions';
import { buildSafely, validateForBuild } from './build/buildSafely';
import type { AccountConfig } from './types';

/**
 * Builds an `Account` section through `accountFactory` of `@cs/account`: the same section gives
 * the same cached `Account`. Makes no AWS call.
 *
 * @param section - an `Account` section, validated here.
 * @param options - `source`, `path`, `logger`.
 * @returns the cached account.
 * @throws {@link ConfigError} with every problem of the section, at its file, path and line.
 * @example
 * ```ts
 * const account = buildAccount({ SessionParameters: { profile_name: 'prod' } });
 * console.log(await account.alias());
 * ```
 * @public
 */
export function buildAccount(section: AccountConfig, options: BuildOptions = {}): Account {
  const { value, site } = validateForBuild('Account', section, options);
  return buildSafely(site, () =>
    accountFactory(value, options.logger === undefined ? undefined : { logger: options.logger }),
  );
}

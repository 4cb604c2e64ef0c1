import { canonicalKey, sessionFactory } from '@cs/session';
import type { SessionOptions, SessionSpec } from '@cs/session';
import { Account } from './Account';

const accounts = new Map<string, Account>();

/**
 * A caching singleton factory of accounts, built on `sessionFactory`: the same configuration
 * (whatever its key order) returns the same `Account`, over the same `Session`. The cache key is
 * `canonicalKey(spec)`: no secret in clear. Roles are assumed deferred, as by `sessionFactory`.
 *
 * @param spec - `{ SessionParameters, AssumeRole, AssumeRoles }`.
 * @param options - Session options for a new session (not part of the key).
 * @throws The session factory's `SessionParametersError` / `EndpointConfigError` for invalid configuration.
 * @example
 * ```ts
 * const account = accountFactory({ SessionParameters: { region_name: 'eu-west-1' }, AssumeRole: { RoleArn, RoleSessionName: 'x' } });
 * console.log(await account.alias());
 * ```
 * @public
 */
export function accountFactory(spec: SessionSpec = {}, options?: SessionOptions): Account {
  const key = canonicalKey(spec);
  let account = accounts.get(key);
  if (account === undefined) {
    account = new Account(sessionFactory(spec, options));
    accounts.set(key, account);
  }
  return account;
}

/**
 * Empties the cache of {@link accountFactory} (the sessions stay in `sessionFactory`'s cache).
 *
 * @example
 * ```ts
 * afterEach(() => clearAccountFactory());
 * ```
 * @public
 */
export function clearAccountFactory(): void {
  accounts.clear();
}

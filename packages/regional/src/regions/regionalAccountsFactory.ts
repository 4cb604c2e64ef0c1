/**
 * The caching singleton factory of RegionalAccounts containers.
 */

import type { RegionalAccountFactoryOptions } from '../account/regionalAccountFactory';
import { RegionalAccounts } from './RegionalAccounts';
import type { RegionalAccountsSpec } from './RegionalAccounts';
import { factoryKey } from '../internal/factoryKey';

const cache = new Map<string, RegionalAccounts>();

/**
 * A caching singleton factory of {@link RegionalAccounts}: the same spec (by `canonicalKey` of
 * `@cs/session`: key order does not matter, secrets are hashed) returns the same container. The
 * key is taken when the container is first built: a filter changed in place later still belongs
 * to that container (and the container follows it).
 *
 * @param spec - see {@link RegionalAccountsSpec}
 * @param options - logger, clock, client cache size, service loader (used on creation only)
 * @returns the container of that spec
 * @throws {@link RegionFilterError} for an unknown partition or region name
 * @example
 * ```ts
 * const a = regionalAccountsFactory({ Account: {}, Filter: { Partitions: { aws: {} } } });
 * a === regionalAccountsFactory({ Filter: { Partitions: { aws: {} } }, Account: {} }); // true
 * ```
 * @public
 */
export const regionalAccountsFactory = (
  spec: RegionalAccountsSpec = {},
  options: RegionalAccountFactoryOptions = {},
): RegionalAccounts => {
  const key = factoryKey(spec);
  let container = cache.get(key);
  if (container === undefined) {
    container = new RegionalAccounts(spec, options);
    cache.set(key, container);
  }
  return container;
};

/**
 * Forgets every container {@link regionalAccountsFactory} built (the RegionalAccounts inside them
 * stay in `regionalAccountFactory`'s cache: clear that with `clearRegionalAccountFactory`).
 *
 * @example
 * ```ts
 * afterEach(() => clearRegionalAccountsFactory());
 * ```
 * @public
 */
export const clearRegionalAccountsFactory = (): void => {
  cache.clear();
};

/**
 * Builds a RegionalAccountSet from specs.
 */

import { RegionalAccountSet } from './RegionalAccountSet';
import type { RegionalAccountsSpec } from '../regions/RegionalAccounts';
import { regionalAccountsFactory } from '../regions/regionalAccountsFactory';

/**
 * One entry of {@link regionalAccountSetFactory}: a container spec under the original's section
 * name.
 *
 * @public
 */
export interface RegionalAccountSetSpec {
  /** The container's spec. */
  RegionalAccounts: RegionalAccountsSpec;
}

/**
 * Builds a new {@link RegionalAccountSet} (the set itself is NOT cached: each call returns a new
 * one) whose containers come from {@link regionalAccountsFactory} (cached: two sets built from the
 * same spec share the containers, and so the RegionalAccounts and rate limits).
 *
 * @param specs - each `{ RegionalAccounts: {...} }`
 * @returns a new set
 * @throws {@link RegionFilterError} for an unknown partition or region name
 * @example
 * ```ts
 * const set = regionalAccountSetFactory(
 *   { RegionalAccounts: { Account: { SessionParameters: { profile_name: 'prod' } } } },
 *   { RegionalAccounts: { Account: { SessionParameters: { profile_name: 'dev' } } } },
 * );
 * ```
 * @public
 */
export const regionalAccountSetFactory = (...specs: RegionalAccountSetSpec[]): RegionalAccountSet =>
  new RegionalAccountSet(...specs.map((spec) => regionalAccountsFactory(spec.RegionalAccounts)));

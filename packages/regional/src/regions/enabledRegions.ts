/**
 * Which regions each account has enabled (EC2 `DescribeRegions` with `AllRegions`), asked once per
 * account object and shared by every container of that account. A failure is never cached.
 */

import type { Account } from '@cs/account';
import type { RegionalAccount } from '../account/RegionalAccount';

interface DescribeRegionsOutput {
  Regions?: { RegionName?: string; OptInStatus?: string }[];
}

const pending = new WeakMap<Account, Promise<ReadonlySet<string>>>();
const known = new WeakMap<Account, ReadonlySet<string>>();

/**
 * The regions enabled for the account of `via` (opt-in regions the account has not opted in to are
 * left out), asked through `via` (so through its rate limit), cached per account.
 *
 * @internal
 */
export const enabledRegions = (
  via: RegionalAccount,
  { refresh = false, signal }: { refresh?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<ReadonlySet<string>> => {
  const account = via.account();
  const cached = pending.get(account);
  if (cached !== undefined && !refresh) return cached;
  const promise = via
    .callClient<DescribeRegionsOutput>('ec2', 'DescribeRegions', { AllRegions: true }, undefined, {
      signal,
    })
    .then((output) => {
      const enabled = new Set<string>();
      for (const region of output.Regions ?? []) {
        if (region.RegionName !== undefined && region.OptInStatus !== 'not-opted-in') {
          enabled.add(region.RegionName);
        }
      }
      known.set(account, enabled);
      return enabled;
    });
  pending.set(account, promise);
  promise.catch(() => {
    if (pending.get(account) === promise) pending.delete(account);
  });
  return promise;
};

/** The enabled regions of an account, when already known. @internal */
export const knownEnabledRegions = (account: Account): ReadonlySet<string> | undefined =>
  known.get(account);

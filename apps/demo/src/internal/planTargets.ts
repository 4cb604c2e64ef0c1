/**
 * The targets of a RegionalAccountSet section, resolved through `@cs/session` alone: the account
 * of each entry (one STS call per distinct role chain) and the regions its filter names. Used
 * until `@cs/regional`'s containers are available to the command.
 */

import { sessionFactory } from '@cs/session';
import type { RegionalAccountSetConfig } from '@cs/config';
import { classHints } from './classHints';
import type { TargetResult } from './TargetResult';

const regionsOf = (entry: RegionalAccountSetConfig[number]): string[] => {
  const partitions = entry.RegionalAccounts.Filter?.Partitions ?? { aws: {} };
  const regions: string[] = [];
  for (const [partition, filter] of Object.entries(partitions)) {
    const include = filter?.Regions?.include;
    const list = include === undefined || include === null ? [`${partition}:*`] : [include].flat();
    const exclude = new Set([filter?.Regions?.exclude ?? []].flat());
    regions.push(...list.filter((r) => !exclude.has(r)));
    if (filter?.IncludeNonRegional === true) regions.push(`${partition}-global`);
  }
  return regions;
};

/**
 * Yields one result per (entry, region), the account resolved once per entry.
 *
 * @param set - the validated section
 * @param signal - stops the work
 * @internal
 */
export async function* planTargets(
  set: RegionalAccountSetConfig,
  signal: AbortSignal,
): AsyncGenerator<TargetResult> {
  for (const entry of set) {
    const regions = regionsOf(entry);
    const started = performance.now();
    let accountId: string | undefined;
    let error: TargetResult['error'];
    if (signal.aborted) return;
    try {
      const session = sessionFactory(entry.RegionalAccounts.Account ?? {});
      accountId = await session.accountId();
    } catch (e) {
      const code = e instanceof Error ? e.name : undefined;
      error = {
        class: 'other',
        code,
        message: e instanceof Error ? e.message : String(e),
        hint: classHints.other,
      };
    }
    const durationMs = performance.now() - started;
    for (const region of regions) {
      yield error === undefined
        ? { accountId, alias: accountId, region, status: 'succeeded', durationMs, value: {} }
        : { accountId, alias: undefined, region, status: 'failed', durationMs, error };
    }
  }
}

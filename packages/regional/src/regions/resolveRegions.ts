/**
 * Turns a {@link RegionalAccountsFilter} into the list of region names it selects.
 */

import { RegionFilterError } from './errors';
import type { PartitionFilter, RegionalAccountsFilter } from './RegionalAccountsFilter';
import { globToRegExp, isGlob } from '../internal/glob';
import { sdkPartitions, type PartitionData } from './partitions';

/**
 * Options of {@link resolveRegions}.
 *
 * @public
 */
export interface ResolveRegionsOptions {
  /**
   * The regions enabled for the account (discovery mode): real regions outside this set are left
   * out, and enabled regions that the installed SDK does not list yet are added when they match the
   * partition's naming pattern.
   * @defaultValue undefined: no discovery, every region of the SDK's data
   */
  enabledRegions?: ReadonlySet<string> | undefined;
}

const asList = (value: readonly string[] | string | null | undefined): readonly unknown[] =>
  value === undefined || value === null ? [] : typeof value === 'string' ? [value] : value;

/**
 * The region names that a filter selects, sorted by partition then name.
 *
 * Rules: no `Partitions` (or an empty one) means `{ aws: {} }`; no `include` (or an empty one)
 * means every region of the partition; entries are names or globs (`*`, `?`); `exclude` wins;
 * `IncludeNonRegional` adds the partition's global pseudo-region (`aws-global`, ...). A literal
 * name that the partition does not have is an error; a glob that matches nothing is not (a broad
 * pattern such as `me-*` legitimately matches nothing in some partitions).
 *
 * @param filter - the filter (see {@link RegionalAccountsFilter})
 * @param options - discovery data
 * @returns the selected region names
 * @throws {@link RegionFilterError} listing every problem at once (`path: message`): unknown
 *   partition, unknown region name, a global pseudo-region in `include`, entries of the wrong type
 * @example
 * ```ts
 * resolveRegions({ Partitions: { aws: { Regions: { include: ['us-*'], exclude: ['us-west-1'] } } } });
 * // ['us-east-1', 'us-east-2', 'us-west-2']
 * ```
 * @public
 */
export const resolveRegions = (
  filter: RegionalAccountsFilter | null | undefined,
  options: ResolveRegionsOptions = {},
): string[] => {
  const problems: string[] = [];
  const partitions = sdkPartitions();
  if (filter !== undefined && filter !== null && typeof filter !== 'object') {
    throw new RegionFilterError([`Filter: must be an object, got ${typeof filter}`]);
  }
  const rawPartitions = filter?.Partitions;
  if (rawPartitions !== undefined && rawPartitions !== null && typeof rawPartitions !== 'object') {
    throw new RegionFilterError([
      `Filter.Partitions: must be an object, got ${typeof rawPartitions}`,
    ]);
  }
  const entries: [string, PartitionFilter | null | undefined][] =
    rawPartitions === undefined || rawPartitions === null || Object.keys(rawPartitions).length === 0
      ? [['aws', {}]]
      : Object.entries(rawPartitions);
  const result: string[] = [];
  for (const [id, partitionFilter] of entries) {
    const path = `Filter.Partitions.${id}`;
    const partition = partitions.get(id);
    if (partition === undefined) {
      problems.push(
        `${path}: unknown partition ${JSON.stringify(id)}; the AWS SDK knows ${[...partitions.keys()].join(', ')}`,
      );
      continue;
    }
    result.push(...selectInPartition(partition, partitionFilter ?? {}, path, problems, options));
  }
  if (problems.length > 0) throw new RegionFilterError(problems);
  return result;
};

const selectInPartition = (
  partition: PartitionData,
  filter: PartitionFilter,
  path: string,
  problems: string[],
  { enabledRegions }: ResolveRegionsOptions,
): string[] => {
  if (typeof filter !== 'object') {
    problems.push(`${path}: must be an object, got ${typeof filter}`);
    return [];
  }
  const regionsFilter = filter.Regions ?? {};
  const candidates = new Set(partition.regions);
  if (enabledRegions !== undefined) {
    for (const region of enabledRegions) {
      if (partition.regionRegex.test(region)) candidates.add(region);
    }
  }
  const known = new Set([...candidates, ...partition.nonRegional]);
  const matchers = (key: 'include' | 'exclude'): RegExp[] => {
    const list = asList(regionsFilter[key]);
    const out: RegExp[] = [];
    list.forEach((entry, index) => {
      const where = `${path}.Regions.${key}[${index}]`;
      if (typeof entry !== 'string' || entry.length === 0) {
        problems.push(`${where}: must be a region name or a glob, got ${JSON.stringify(entry)}`);
        return;
      }
      if (!isGlob(entry) && !known.has(entry)) {
        problems.push(
          `${where}: unknown region ${JSON.stringify(entry)} in partition ${partition.id}; ` +
            `its regions are ${partition.regions.join(', ')}`,
        );
        return;
      }
      if (key === 'include' && partition.nonRegional.includes(entry)) {
        problems.push(
          `${where}: ${entry} is the partition's global pseudo-region: set IncludeNonRegional: true instead`,
        );
        return;
      }
      out.push(globToRegExp(entry));
    });
    return out;
  };
  const include = matchers('include');
  const exclude = matchers('exclude');
  const excluded = (region: string): boolean => exclude.some((re) => re.test(region));
  const selected = [...candidates]
    .filter((region) => enabledRegions === undefined || enabledRegions.has(region))
    .filter((region) => include.length === 0 || include.some((re) => re.test(region)))
    .filter((region) => !excluded(region))
    .sort();
  if (filter.IncludeNonRegional === true) {
    selected.push(...partition.nonRegional.filter((region) => !excluded(region)));
  }
  return selected;
};

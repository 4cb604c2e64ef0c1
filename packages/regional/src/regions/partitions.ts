/**
 * The partitions and regions of the AWS SDK, from `partitionTable.json`: written by
 * `scripts/update-partitions.mjs` from the SDK's public `partition()` lookup and checked against
 * it by test/partitions.test.ts, so that region lists are never typed by hand and loading never
 * reads a file inside the SDK (an SDK upgrade cannot break it).
 */

import table from './partitionTable.json';

/** One partition of the SDK's data. @internal */
export interface PartitionData {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  readonly id: string;
  /** The partition's pattern of region names (regions the SDK does not list yet match it too). */
  readonly regionRegex: RegExp;
  /** The real regions, sorted. */
  readonly regions: readonly string[];
  /** The global pseudo-regions (`aws-global`, ...): listed by the SDK, not matching `regionRegex`. */
  readonly nonRegional: readonly string[];
  /** The region that global services of the partition answer in (`us-east-1` for `aws`). */
  readonly implicitGlobalRegion: string | undefined;
}

/** One partition as `partitionTable.json` holds it. */
interface PartitionRow {
  readonly id: string;
  readonly regionRegex: string;
  readonly implicitGlobalRegion?: string;
  readonly regions: readonly string[];
  readonly nonRegional: readonly string[];
}

let cache: ReadonlyMap<string, PartitionData> | undefined;

/**
 * The SDK's partitions by id, built once.
 *
 * @internal
 */
export const sdkPartitions = (): ReadonlyMap<string, PartitionData> => {
  if (cache !== undefined) return cache;
  const result = new Map<string, PartitionData>();
  for (const row of table as readonly PartitionRow[]) {
    result.set(row.id, {
      id: row.id,
      regionRegex: new RegExp(row.regionRegex),
      regions: row.regions,
      nonRegional: row.nonRegional,
      implicitGlobalRegion: row.implicitGlobalRegion,
    });
  }
  cache = result;
  return result;
};

/**
 * The partition a region name belongs to: the one that lists it, else the one whose pattern it
 * matches, else `undefined`.
 *
 * @internal
 */
export const partitionOfRegion = (region: string): PartitionData | undefined => {
  const all = [...sdkPartitions().values()];
  return (
    all.find((p) => p.regions.includes(region) || p.nonRegional.includes(region)) ??
    all.find((p) => p.regionRegex.test(region))
  );
};

/** Whether the SDK's data lists `region` (a real region or a global pseudo-region). @internal */
export const isSdkRegion = (region: string): boolean =>
  [...sdkPartitions().values()].some(
    (p) => p.regions.includes(region) || p.nonRegional.includes(region),
  );

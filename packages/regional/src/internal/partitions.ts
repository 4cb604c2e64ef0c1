/**
 * The partitions and regions that the AWS SDK itself ships (`@aws-sdk/core`'s endpoint partition
 * data, the same table the SDK's endpoint resolver reads), so that region lists are never typed by
 * hand and follow the installed SDK.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

/** The file, inside `@aws-sdk/core`, that holds the partition table as a JSON object literal. */
const DATA_FILE = 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';

interface RawPartitions {
  partitions: {
    id: string;
    regionRegex: string;
    regions: Record<string, unknown>;
    outputs?: { implicitGlobalRegion?: string };
  }[];
}

const isRawPartitions = (value: unknown): value is RawPartitions =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as RawPartitions).partitions) &&
  (value as RawPartitions).partitions.every(
    (p) =>
      typeof p.id === 'string' &&
      typeof p.regionRegex === 'string' &&
      typeof p.regions === 'object' &&
      p.regions !== null,
  );

/** Where this module is, in the ESM build, the CJS build and under vitest. */
const here = (): string =>
  // `__filename` is undefined in ESM, where `import.meta.url` is set (and the reverse in CJS).
  typeof __filename === 'string' ? __filename : import.meta.url;

/**
 * Reads the SDK's partition table. The table is not exported by `@aws-sdk/core` as a value (only
 * the `partition(region)` lookup is), so it is read from the package's own data file, which is
 * plain JSON after its `export const partitionsInfo =` prefix.
 *
 * @internal
 */
export const readSdkPartitions = (): RawPartitions => {
  let file = DATA_FILE;
  try {
    const require = createRequire(here());
    file = join(dirname(require.resolve('@aws-sdk/core/package.json')), DATA_FILE);
    const text = readFileSync(file, 'utf8');
    const parsed: unknown = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
    if (!isRawPartitions(parsed)) throw new Error('the table has an unexpected shape');
    return parsed;
  } catch (cause) {
    throw new Error(
      `could not read the AWS SDK's partition data from ${file}: ${(cause as Error).message}; ` +
        'the installed @aws-sdk/core may have moved it: install the version @cs/regional pins',
      { cause },
    );
  }
};

let cache: ReadonlyMap<string, PartitionData> | undefined;

/**
 * The SDK's partitions by id, read once.
 *
 * @internal
 */
export const sdkPartitions = (): ReadonlyMap<string, PartitionData> => {
  if (cache !== undefined) return cache;
  const result = new Map<string, PartitionData>();
  for (const raw of readSdkPartitions().partitions) {
    const regionRegex = new RegExp(raw.regionRegex);
    const names = Object.keys(raw.regions).sort();
    result.set(raw.id, {
      id: raw.id,
      regionRegex,
      regions: names.filter((name) => regionRegex.test(name)),
      nonRegional: names.filter((name) => !regionRegex.test(name)),
      implicitGlobalRegion: raw.outputs?.implicitGlobalRegion,
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

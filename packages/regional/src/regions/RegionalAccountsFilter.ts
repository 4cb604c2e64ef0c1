/**
 * The shape of a RegionalAccounts `Filter`, with the original's section names.
 */

/**
 * Region names to keep and to drop. Each entry is a region name (`us-east-1`) or a glob (`us-*`,
 * `eu-??st-1`). An `exclude` match always wins over an `include` match.
 *
 * @public
 */
export interface RegionsFilter {
  /**
   * The regions to keep.
   * @defaultValue absent or empty: every region of the partition
   */
  include?: readonly string[] | string | null;
  /**
   * The regions to drop; wins over `include`.
   * @defaultValue none
   */
  exclude?: readonly string[] | string | null;
}

/**
 * The filter of one partition.
 *
 * @public
 */
export interface PartitionFilter {
  /**
   * Adds the partition's global pseudo-region (`aws-global`, `aws-cn-global`, ...), the one that
   * global services such as IAM are addressed through.
   * @defaultValue false
   */
  IncludeNonRegional?: boolean;
  /** Which regions of the partition to keep. @defaultValue every region */
  Regions?: RegionsFilter | null;
}

/**
 * The filter of a {@link RegionalAccounts} container: partition ids (`aws`, `aws-cn`,
 * `aws-us-gov`, ...) to their filters. May be mutated in place: the container follows it.
 *
 * @example
 * ```ts
 * const Filter: RegionalAccountsFilter = {
 *   Partitions: { aws: { IncludeNonRegional: true, Regions: { include: ['us-*'], exclude: ['us-west-1'] } } },
 * };
 * ```
 * @public
 */
export interface RegionalAccountsFilter {
  /**
   * The partitions to cover.
   * @defaultValue absent or empty: `{ aws: {} }`, every region of the `aws` partition
   */
  Partitions?: Record<string, PartitionFilter | null | undefined> | null;
  /**
   * Discovery mode: ask the account which regions are enabled for it (EC2 `DescribeRegions` with
   * `AllRegions`, cached per account) and leave out the opt-in regions it has not enabled. Needs
   * `await container.discover()` (or `await RegionalAccounts.create(spec)`) before the container is
   * read.
   * @defaultValue false
   */
  Discover?: boolean;
}

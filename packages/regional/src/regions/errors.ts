/**
 * The errors of region selection (`regions/`): a bad region filter, a filter that cannot be replaced,
 * a region that is not selected, a selection that needs region discovery.
 * Each extends {@link RegionalError} and has a guard that reads the cs-aws error brand
 * (CONTRIBUTING.md, "Errors").
 */

import { errorNames, isErrorOf, RegionalError } from '../errors';

/**
 * A RegionalAccounts `Filter` is wrong: an unknown partition or region name, an entry of the wrong
 * type, a global pseudo-region in `include`. Lists every problem at once, as `path: message`.
 *
 * @example
 * ```ts
 * resolveRegions({ Partitions: { aws: { Regions: { include: ['us-eats-1'] } } } });
 * // throws RegionFilterError: invalid region filter: Filter.Partitions.aws.Regions.include[0]: unknown region "us-eats-1" ...
 * ```
 * @public
 */
export class RegionFilterError extends RegionalError {
  override readonly name = 'RegionFilterError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['RegionalError', 'RegionFilterError'];
  /** @param problems - each problem as `path: message` */
  constructor(readonly problems: readonly string[]) {
    super(`invalid region filter: ${problems.join('; ')}`);
  }
}

/**
 * Whether `e` is a {@link RegionFilterError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionFilterError(e)) for (const p of e.problems) console.error(p);
 * ```
 * @public
 */
export const isRegionFilterError = (e: unknown): e is RegionFilterError =>
  isErrorOf(e, ['RegionFilterError']);

/**
 * Something tried to replace a RegionalAccounts container's whole `Filter`. The filter may only be
 * changed in place (the container follows it); build another container for another filter.
 *
 * @example
 * ```ts
 * container.Filter = {}; // throws FilterNotReplaceableError
 * container.Filter.Partitions = { aws: {} }; // fine: an in-place change
 * ```
 * @public
 */
export class FilterNotReplaceableError extends RegionalError {
  override readonly name = 'FilterNotReplaceableError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'FilterNotReplaceableError',
  ];
  constructor() {
    super(
      "a RegionalAccounts container's Filter cannot be replaced: change it in place " +
        '(container.Filter.Partitions = ...), or build another container for another filter',
    );
  }
}

/**
 * Whether `e` is a {@link FilterNotReplaceableError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isFilterNotReplaceableError(e)) mutateInPlace();
 * ```
 * @public
 */
export const isFilterNotReplaceableError = (e: unknown): e is FilterNotReplaceableError =>
  isErrorOf(e, ['FilterNotReplaceableError']);

/**
 * The strict accessor of a RegionalAccounts container was asked for a region that its filter does
 * not select.
 *
 * @example
 * ```ts
 * container.getOrThrow('eu-west-1'); // throws RegionNotSelectedError when the filter leaves it out
 * ```
 * @public
 */
export class RegionNotSelectedError extends RegionalError {
  override readonly name = 'RegionNotSelectedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'RegionNotSelectedError',
  ];
  /**
   * @param region - the region asked for
   * @param selected - the regions the filter selects
   */
  constructor(
    readonly region: string,
    readonly selected: readonly string[],
  ) {
    super(
      `region ${region} is not selected by this RegionalAccounts container's filter ` +
        `(it selects ${selected.length === 0 ? 'no region' : selected.join(', ')}): ` +
        'add it to Filter.Partitions.<partition>.Regions.include, or remove it from exclude',
    );
  }
}

/**
 * Whether `e` is a {@link RegionNotSelectedError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionNotSelectedError(e)) console.error(e.selected);
 * ```
 * @public
 */
export const isRegionNotSelectedError = (e: unknown): e is RegionNotSelectedError =>
  isErrorOf(e, ['RegionNotSelectedError']);

/**
 * A RegionalAccounts container in discovery mode (`Filter.Discover: true`) was read before the
 * account's enabled regions were fetched.
 *
 * @example
 * ```ts
 * const c = new RegionalAccounts({ Account, Filter: { Discover: true } });
 * c.keys(); // throws RegionDiscoveryRequiredError
 * await c.discover(); c.keys(); // fine
 * ```
 * @public
 */
export class RegionDiscoveryRequiredError extends RegionalError {
  override readonly name = 'RegionDiscoveryRequiredError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'RegionDiscoveryRequiredError',
  ];
  constructor() {
    super(
      'this RegionalAccounts container is in discovery mode (Filter.Discover: true) and has not ' +
        'asked the account for its enabled regions yet: await container.discover() first, or ' +
        'build it with await RegionalAccounts.create(spec)',
    );
  }
}

/**
 * Whether `e` is a {@link RegionDiscoveryRequiredError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionDiscoveryRequiredError(e)) await container.discover();
 * ```
 * @public
 */
export const isRegionDiscoveryRequiredError = (e: unknown): e is RegionDiscoveryRequiredError =>
  isErrorOf(e, ['RegionDiscoveryRequiredError']);

/**
 * RegionalAccounts: one account, many regions, as a read-only map from region name to
 * RegionalAccount that follows its (mutable) filter.
 */

import { accountFactory } from '@cs/account';
import type { Account } from '@cs/account';
import type { RateLimitSpec } from '@cs/ratelimit';
import {
  FilterNotReplaceableError,
  RegionDiscoveryRequiredError,
  RegionFilterError,
  RegionNotSelectedError,
} from './errors';
import type { RegionalAccount } from '../account/RegionalAccount';
import { regionalAccountFactory } from '../account/regionalAccountFactory';
import type {
  RegionalAccountFactoryOptions,
  RegionalAccountSpec,
} from '../account/regionalAccountFactory';
import type { RegionalAccountsFilter } from './RegionalAccountsFilter';
import { resolveRegions } from './resolveRegions';
import { enabledRegions, knownEnabledRegions } from './enabledRegions';
import { isSdkRegion, sdkPartitions } from './partitions';

/**
 * The configuration of a {@link RegionalAccounts} container, with the original's section names:
 * everything of a {@link RegionalAccountSpec} but the region, plus the filter and per-region limits.
 *
 * @example
 * ```ts
 * const spec: RegionalAccountsSpec = {
 *   Account: { SessionParameters: { profile_name: 'prod' } },
 *   RateLimit: { max_count: 10, interval: 1, block: true },
 *   RateLimitRegionSpec: { 'us-east-1': { max_count: 50, interval: 1, block: true } },
 *   Filter: { Partitions: { aws: { Regions: { include: ['us-*', 'eu-*'], exclude: ['us-west-1'] } } } },
 * };
 * ```
 * @public
 */
export interface RegionalAccountsSpec extends Omit<RegionalAccountSpec, 'region_name'> {
  /**
   * Which regions the container holds (mutable in place; see {@link RegionalAccountsFilter}).
   * @defaultValue every region of the `aws` partition
   */
  Filter?: RegionalAccountsFilter;
  /**
   * Region name → rate-limit spec that replaces `RateLimit` for that region.
   * @defaultValue none
   */
  RateLimitRegionSpec?: Record<string, RateLimitSpec>;
  /**
   * The service the container is meant for, kept for the original's configurations. The SDK v3
   * ships no per-service region lists, so it does not narrow the regions (use `Filter`, or
   * discovery mode, for that).
   * @defaultValue undefined
   */
  service?: string;
}

const brand = Symbol.for('@cs/regional/RegionalAccounts');

/** A stable text of a filter: equal texts, equal selections (key order ignored). */
const snapshot = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(snapshot).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${snapshot((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
};

/**
 * Whether `value` is a {@link RegionalAccounts} container (checks a brand shared by every copy of
 * the package, as well as `instanceof`).
 *
 * @param value - anything
 * @example
 * ```ts
 * if (isRegionalAccounts(x)) console.log([...x.keys()]);
 * ```
 * @public
 */
export const isRegionalAccounts = (value: unknown): value is RegionalAccounts =>
  value instanceof RegionalAccounts ||
  (typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true);

/**
 * One account in many regions: a read-only, `ReadonlyMap`-like container from region name to
 * {@link RegionalAccount}. Its values come from {@link regionalAccountFactory}, so two containers
 * of one account share the RegionalAccount (and so the rate limit) of a region.
 *
 * The filter may be changed in place (`container.Filter.Partitions.aws.Regions.include.push(...)`):
 * the container follows it at its next read. Replacing it (`container.Filter = ...`) throws.
 *
 * Discovery mode (`Filter.Discover: true`) leaves out the opt-in regions the account has not
 * enabled; it needs `await container.discover()` (or `await RegionalAccounts.create(spec)`) before
 * the first read.
 *
 * @example
 * ```ts
 * const prod = new RegionalAccounts({
 *   Account: { SessionParameters: { profile_name: 'prod' } },
 *   RateLimit: { max_count: 10, interval: 1, block: true },
 *   Filter: { Partitions: { aws: { Regions: { include: ['eu-*'] } } } },
 * });
 * for (const [region, ra] of prod) console.log(region, await ra.callClient('sts', 'GetCallerIdentity'));
 * ```
 * @public
 */
export class RegionalAccounts implements ReadonlyMap<string, RegionalAccount> {
  /** The brand {@link isRegionalAccounts} reads. */
  readonly [brand] = true;
  readonly #spec: RegionalAccountsSpec;
  readonly #filter: RegionalAccountsFilter;
  readonly #options: RegionalAccountFactoryOptions;
  readonly #account: Account;
  #snapshot: string | undefined;
  #map = new Map<string, RegionalAccount>();

  /**
   * @param spec - see {@link RegionalAccountsSpec}; its `Filter` object is kept (not copied), so
   *   changing it in place changes the container
   * @param options - logger, clock, client cache size, service loader for new RegionalAccounts
   * @throws {@link RegionFilterError} for an unknown partition or region name (in `Filter` or as
   *   a key of `RateLimitRegionSpec`)
   * @throws `RateLimitConfigError` (from `@cs/ratelimit`) for an invalid rate-limit spec
   */
  constructor(spec: RegionalAccountsSpec = {}, options: RegionalAccountFactoryOptions = {}) {
    this.#spec = spec;
    this.#filter = spec.Filter ?? {};
    this.#options = options;
    const unknown = Object.keys(spec.RateLimitRegionSpec ?? {}).filter(
      (region) => !isSdkRegion(region),
    );
    if (unknown.length > 0) {
      throw new RegionFilterError(
        unknown.map(
          (region) =>
            `RateLimitRegionSpec.${region}: unknown region ${JSON.stringify(region)} (not in any partition of the AWS SDK)`,
        ),
      );
    }
    this.#account = accountFactory(spec.Account ?? {});
    if (this.#filter.Discover !== true) this.#current();
  }

  /**
   * Builds a container and, in discovery mode, asks the account for its enabled regions first.
   *
   * @param spec - see {@link RegionalAccountsSpec}
   * @param options - as for the constructor
   * @returns the container, ready to read
   * @throws {@link RegionFilterError}, or an {@link AwsClientError} when `DescribeRegions` fails
   * @example
   * ```ts
   * const c = await RegionalAccounts.create({ Account, Filter: { Discover: true } });
   * ```
   */
  static async create(
    spec: RegionalAccountsSpec = {},
    options: RegionalAccountFactoryOptions = {},
  ): Promise<RegionalAccounts> {
    const container = new RegionalAccounts(spec, options);
    if (container.Filter.Discover === true) await container.discover();
    return container;
  }

  /** The filter, to change in place. Assigning a new one throws {@link FilterNotReplaceableError}. */
  get Filter(): RegionalAccountsFilter {
    return this.#filter;
  }

  set Filter(_value: RegionalAccountsFilter) {
    throw new FilterNotReplaceableError();
  }

  /** The same as {@link RegionalAccounts.Filter}. */
  get filter(): RegionalAccountsFilter {
    return this.#filter;
  }

  set filter(_value: RegionalAccountsFilter) {
    throw new FilterNotReplaceableError();
  }

  /** The `service` of the spec (informative only). */
  get service(): string | undefined {
    return this.#spec.service;
  }

  /** The account of the container (from `accountFactory`, shared with its RegionalAccounts). */
  account(): Account {
    return this.#account;
  }

  /** Whether the container is in discovery mode and has what it needs to be read. */
  get discovered(): boolean {
    return knownEnabledRegions(this.#account) !== undefined;
  }

  /**
   * Asks the account which regions it has enabled (EC2 `DescribeRegions` with `AllRegions`),
   * once per account: every container of that account shares the answer. The call goes through
   * the rate-limited RegionalAccount of the account's session region (else the first partition's
   * main region, `us-east-1` for `aws`).
   *
   * @param options - `refresh` asks again; `signal` cancels the call
   * @returns the enabled region names
   * @throws {@link AwsClientError} when the call fails (the failure is not cached)
   * @example
   * ```ts
   * const enabled = await container.discover();
   * ```
   */
  async discover(
    options: { refresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<ReadonlySet<string>> {
    const partitions = Object.keys(this.#filter.Partitions ?? {});
    const fallback =
      sdkPartitions().get(partitions[0] ?? 'aws')?.implicitGlobalRegion ?? 'us-east-1';
    const region = this.#account.session().region ?? fallback;
    return enabledRegions(this.#regionalAccount(region), options);
  }

  /**
   * The RegionalAccount of this container's account in any region, whether the filter selects it
   * or not (with the container's limits), from the caching factory: for a call the filter does
   * not cover, such as a global service at its partition's global pseudo-region.
   *
   * @param region - a region name known to the SDK (`eu-west-1`, `aws-global`, ...)
   * @returns the RegionalAccount (the same object for the same region)
   * @throws {@link RegionFilterError} for a region no partition of the SDK knows
   * @example
   * ```ts
   * const iam = container.regionalAccountIn('aws-global');
   * ```
   */
  regionalAccountIn(region: string): RegionalAccount {
    if (!isSdkRegion(region)) {
      throw new RegionFilterError([
        `${JSON.stringify(region)}: unknown region (not in any partition of the AWS SDK)`,
      ]);
    }
    return this.#regionalAccount(region);
  }

  #regionalAccount(region: string): RegionalAccount {
    const { Filter: _f, RateLimitRegionSpec, service: _s, ...base } = this.#spec;
    return regionalAccountFactory(
      {
        ...base,
        RateLimit: RateLimitRegionSpec?.[region] ?? base.RateLimit,
        region_name: region,
      },
      this.#options,
    );
  }

  /** The map for the filter as it is now (recomputed when the filter or discovery changed). */
  #current(): Map<string, RegionalAccount> {
    const discover = this.#filter.Discover === true;
    const enabled = discover ? knownEnabledRegions(this.#account) : undefined;
    if (discover && enabled === undefined) throw new RegionDiscoveryRequiredError();
    const text = `${snapshot(this.#filter)}|${enabled === undefined ? '' : [...enabled].join(',')}`;
    if (text !== this.#snapshot) {
      const regions = resolveRegions(this.#filter, { enabledRegions: enabled });
      this.#map = new Map(regions.map((region) => [region, this.#regionalAccount(region)]));
      this.#snapshot = text;
    }
    return this.#map;
  }

  /**
   * The RegionalAccount of a region, or `undefined` when the filter does not select it.
   *
   * @param region - a region name
   * @throws {@link RegionFilterError} when the filter (changed in place) has become invalid
   * @throws {@link RegionDiscoveryRequiredError} in discovery mode before {@link RegionalAccounts.discover}
   */
  get(region: string): RegionalAccount | undefined {
    return this.#current().get(region);
  }

  /**
   * The RegionalAccount of a region; throws when the filter does not select it.
   *
   * @param region - a region name
   * @throws {@link RegionNotSelectedError} naming the regions the filter selects
   * @example
   * ```ts
   * const ra = container.getOrThrow('eu-west-1');
   * ```
   */
  getOrThrow(region: string): RegionalAccount {
    const map = this.#current();
    const value = map.get(region);
    if (value === undefined) throw new RegionNotSelectedError(region, [...map.keys()]);
    return value;
  }

  /** Whether the filter selects `region`. */
  has(region: string): boolean {
    return this.#current().has(region);
  }

  /** How many regions the filter selects. */
  get size(): number {
    return this.#current().size;
  }

  /** The selected region names, sorted by partition then name. */
  keys(): MapIterator<string> {
    return this.#current().keys();
  }

  /** The RegionalAccounts of the selected regions. */
  values(): MapIterator<RegionalAccount> {
    return this.#current().values();
  }

  /** `[region, RegionalAccount]` pairs. */
  entries(): MapIterator<[string, RegionalAccount]> {
    return this.#current().entries();
  }

  /** `[region, RegionalAccount]` pairs. */
  [Symbol.iterator](): MapIterator<[string, RegionalAccount]> {
    return this.entries();
  }

  /**
   * Calls `callback` for each selected region.
   *
   * @param callback - receives the RegionalAccount, the region and the container
   * @param thisArg - `this` of the callback
   */
  forEach(
    callback: (
      value: RegionalAccount,
      key: string,
      map: ReadonlyMap<string, RegionalAccount>,
    ) => void,
    thisArg?: unknown,
  ): void {
    for (const [region, value] of this.#current()) callback.call(thisArg, value, region, this);
  }

  /** `RegionalAccounts(us-east-1, eu-west-1)`: never a credential. */
  toString(): string {
    try {
      return `RegionalAccounts(${[...this.keys()].join(', ')})`;
    } catch {
      return 'RegionalAccounts(not discovered)';
    }
  }
}

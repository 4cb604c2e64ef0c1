/**
 * RegionalAccountSet: many accounts in many regions, and the fan-out over them.
 */

import { stripResponse } from '@cs/session';
import { classifyError } from './classifyError';
import type { ErrorClass } from './classifyError';
import { NotRegionalAccountsError } from './errors';
import type { FanOutOptions } from './FanOutOptions';
import { FanOutReport } from './FanOutReport';
import type { FanOutResult } from './FanOutResult';
import type { FanOutStream } from './FanOutStream';
import type { RegionalAccount } from '../account/RegionalAccount';
import { isRegionalAccounts } from '../regions/RegionalAccounts';
import type { RegionalAccounts } from '../regions/RegionalAccounts';
import { knownEnabledRegions } from '../regions/enabledRegions';
import { FanOutRun } from './fanOut';
import type { FanOutSource, PreResolved } from './fanOut';
import { knownIdentity, resolveAccountId, resolveIdentity } from './identity';
import { partitionOfRegion } from '../regions/partitions';

/**
 * An account that every fan-out of the set reports as `skipped` without calling it (the
 * Organizations source adds its suspended member accounts this way).
 *
 * @public
 */
export interface SkippedAccount {
  /** The account id. */
  readonly accountId: string;
  /** Its alias or name. @defaultValue the account id */
  readonly alias?: string;
  /** The regions to report it in (one result each). @defaultValue one result without a region */
  readonly regions?: readonly string[];
  /** Why it is skipped. */
  readonly error: unknown;
  /** The class to report. @defaultValue `classifyError(error).errorClass` */
  readonly errorClass?: ErrorClass;
}

/**
 * What {@link RegionalAccountSet.narrow}'s predicate sees of a target: its region, and its
 * account's id and alias when they are known without a call (members listed from Organizations,
 * accounts already identified by {@link RegionalAccountSet.identify} or a fan-out).
 *
 * @public
 */
export interface TargetIdentity {
  /** The account id, when known. */
  readonly accountId: string | undefined;
  /** The account's alias (or its name in the organisation), when known. */
  readonly alias: string | undefined;
  /** The region (`undefined` for a skipped account recorded without regions). */
  readonly region: string | undefined;
}

/** The function a fan-out runs for each target. @public */
export type FanOutFunction<R> = (
  regionalAccount: RegionalAccount,
  signal: AbortSignal,
) => R | Promise<R>;

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name.length > 0 ? `a ${name}` : 'an object';
};

/** The results a skipped account is reported as: one per region it names, or one regionless. */
const skippedResults = (s: SkippedAccount): PreResolved[] => {
  const errorClass = s.errorClass ?? classifyError(s.error).errorClass;
  const base = {
    accountId: s.accountId,
    alias: s.alias ?? s.accountId,
    error: s.error,
    errorClass,
  };
  const regions = s.regions ?? [undefined];
  return regions.map((region) => ({ ...base, region, status: 'skipped' }));
};

/** The result a container whose region discovery failed is reported as (no region, `failed`). */
const discoveryFailure = (container: RegionalAccounts, error: unknown): PreResolved => {
  const { accountId, alias } = knownIdentity(container.account());
  return {
    accountId,
    alias,
    region: undefined,
    status: 'failed',
    error: stripResponse(error),
    errorClass: classifyError(error).errorClass,
  };
};

/** A target's account id and region, and its alias too when `aliases` (one call more). */
const identifyTarget = async (ra: RegionalAccount, aliases: boolean): Promise<TargetIdentity> => {
  const account = ra.account();
  if (aliases) return { ...(await resolveIdentity(account)), region: ra.region() };
  const accountId = await resolveAccountId(account);
  return { accountId, alias: knownIdentity(account).alias, region: ra.region() };
};

/**
 * Whether a target's region is enabled for its account, when that is known without a call (its
 * enabled regions were discovered, and the region is a regular one of its partition).
 */
const knownRegionEnabled = (ra: RegionalAccount): boolean | undefined => {
  const region = ra.region();
  const enabled = knownEnabledRegions(ra.account());
  if (enabled === undefined) return undefined;
  const partition = partitionOfRegion(region);
  if (partition === undefined || !partition.regionRegex.test(region)) return undefined;
  return enabled.has(region);
};

/**
 * Many RegionalAccounts containers (accounts × regions) as one set: iteration yields each
 * {@link RegionalAccount} once, even when two containers reach the same account and region, and
 * {@link RegionalAccountSet.map} / {@link RegionalAccountSet.stream} run a function over them all
 * with bounded concurrency.
 *
 * @example
 * ```ts
 * const set = new RegionalAccountSet(prod, staging);
 * const report = await set.map((ra, signal) => ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }), { concurrency: 32 });
 * console.log(report.summary);
 * ```
 * @public
 */
export class RegionalAccountSet implements Iterable<RegionalAccount> {
  readonly #containers = new Set<RegionalAccounts>();
  readonly #skipped: SkippedAccount[] = [];
  /** The predicate of a narrowed set; `undefined` keeps every target. */
  #keep: ((target: TargetIdentity) => boolean) | undefined;
  /** Whether each account is one target per partition, at its global region. */
  #global = false;

  /**
   * @param containers - RegionalAccounts containers
   * @throws {@link NotRegionalAccountsError} for anything that is not a RegionalAccounts container
   */
  constructor(...containers: RegionalAccounts[]) {
    for (const container of containers) this.add(container);
  }

  /**
   * Adds a container (no-op when it is already in the set).
   *
   * @param container - a RegionalAccounts container
   * @returns the set
   * @throws {@link NotRegionalAccountsError} for anything else
   */
  add(container: RegionalAccounts): this {
    if (!isRegionalAccounts(container)) throw new NotRegionalAccountsError(describe(container));
    this.#containers.add(container);
    return this;
  }

  /**
   * Removes a container; no error when it is not in the set.
   *
   * @param container - a RegionalAccounts container
   * @returns whether it was in the set
   */
  discard(container: RegionalAccounts): boolean {
    return this.#containers.delete(container);
  }

  /** Whether the container is in the set. */
  has(container: RegionalAccounts): boolean {
    return this.#containers.has(container);
  }

  /** The containers. */
  values(): IterableIterator<RegionalAccounts> {
    return this.#containers.values();
  }

  /** How many containers the set holds. */
  get size(): number {
    return this.#containers.size;
  }

  /**
   * Records an account that every fan-out reports as `skipped` without calling it.
   *
   * @param account - the account, why it is skipped, the regions to report
   * @returns the set
   */
  addSkippedAccount(account: SkippedAccount): this {
    this.#skipped.push(account);
    return this;
  }

  /** The accounts recorded with {@link RegionalAccountSet.addSkippedAccount}. */
  skippedAccounts(): readonly SkippedAccount[] {
    return [...this.#skipped];
  }

  /** A new set of the same containers and skipped accounts, with this set's view. */
  #copy(): RegionalAccountSet {
    const copy = new RegionalAccountSet(...this.#containers);
    for (const skipped of this.#skipped) copy.addSkippedAccount(skipped);
    copy.#keep = this.#keep;
    copy.#global = this.#global;
    return copy;
  }

  /**
   * A new set whose iteration and fan-outs keep only the targets `keep` accepts (this set is not
   * changed; containers added to it later are not seen by the new set). The predicate sees what is
   * known of each target without a call: call {@link RegionalAccountSet.identify} first to select
   * by account id or alias. Skipped accounts are narrowed the same way, region by region.
   *
   * @param keep - whether to keep a target
   * @returns the narrowed set (narrowing a narrowed set keeps what both predicates accept)
   * @example
   * ```ts
   * await set.identify();
   * const prodEu = set.narrow((t) => t.alias?.startsWith('prod-') === true && t.region?.startsWith('eu-') === true);
   * ```
   */
  narrow(keep: (target: TargetIdentity) => boolean): RegionalAccountSet {
    const copy = this.#copy();
    const before = this.#keep;
    copy.#keep = before === undefined ? keep : (target) => before(target) && keep(target);
    return copy;
  }

  /**
   * A new set with one target per account and partition, at the partition's global region (the
   * region its global services answer in and sign with: `us-east-1` for `aws`, `cn-northwest-1`
   * for `aws-cn`): for a global service (IAM, Organizations, Route 53, CloudFront), whose endpoint
   * is the same in every region of a partition, so that it is called once per account rather than
   * once per region. Skipped accounts are reported once each.
   *
   * @returns the new set (this one is not changed)
   * @example
   * ```ts
   * const report = await set.globalTargets().map((ra) => ra.callClient('iam', 'ListRoles'));
   * ```
   */
  globalTargets(): RegionalAccountSet {
    const copy = this.#copy();
    copy.#global = true;
    return copy;
  }

  /**
   * Reads the id and alias of every account of the set (once per account, at most
   * `concurrency` at once, as a fan-out does; never for members listed from Organizations), so
   * that {@link RegionalAccountSet.narrow} can select by them. An account that cannot be read is
   * left unknown (its fan-out reports the failure).
   *
   * @param options - `concurrency` (default 16); `signal` cancels
   * @example
   * ```ts
   * await set.identify();
   * ```
   */
  async identify(options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<void> {
    const accounts = [...new Set([...this.#containers].map((c) => c.account()))];
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < accounts.length && options.signal?.aborted !== true) {
        const account = accounts[next++]!;
        await resolveIdentity(account).catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  }

  /** The skipped accounts as this set's view reports them. */
  #skippedInView(): SkippedAccount[] {
    const keep = this.#keep;
    return this.#skipped.flatMap((s): SkippedAccount[] => {
      let regions: readonly (string | undefined)[] = s.regions ?? [undefined];
      if (this.#global) {
        regions = [
          ...new Set(
            regions.map((r) =>
              r === undefined ? undefined : (partitionOfRegion(r)?.implicitGlobalRegion ?? r),
            ),
          ),
        ];
      }
      if (keep !== undefined) {
        regions = regions.filter((region) =>
          keep({ accountId: s.accountId, alias: s.alias ?? s.accountId, region }),
        );
        if (regions.length === 0) return [];
      }
      const { regions: _regions, ...rest } = s;
      const defined = regions.filter((r): r is string => r !== undefined);
      return [defined.length === 0 ? rest : { ...rest, regions: defined }];
    });
  }

  /**
   * Each RegionalAccount of every container, once (a region of an account reached through two
   * containers appears once), pulled lazily.
   *
   * @throws {@link RegionDiscoveryRequiredError} for a container in discovery mode not discovered yet
   */
  *[Symbol.iterator](): Iterator<RegionalAccount> {
    yield* this.#unique([...this.#containers]);
  }

  *#unique(containers: readonly RegionalAccounts[]): Generator<RegionalAccount> {
    const seen = new Set<RegionalAccount>();
    const keep = this.#keep;
    for (const container of containers) {
      for (const selected of container.values()) {
        let regionalAccount = selected;
        if (this.#global) {
          const region = selected.region();
          const globalRegion = partitionOfRegion(region)?.implicitGlobalRegion ?? region;
          regionalAccount = container.regionalAccountIn(globalRegion);
        }
        if (seen.has(regionalAccount)) continue;
        seen.add(regionalAccount);
        if (keep !== undefined) {
          const { accountId, alias } = knownIdentity(regionalAccount.account());
          if (!keep({ accountId, alias, region: regionalAccount.region() })) continue;
        }
        yield regionalAccount;
      }
    }
  }

  /**
   * Asks every container in discovery mode for its account's enabled regions (once per account).
   *
   * @param options - `signal` cancels the calls
   * @throws the first failure (use `map`/`stream`, which report a failed discovery per container)
   */
  async discover(options: { signal?: AbortSignal } = {}): Promise<void> {
    await Promise.all(
      [...this.#containers]
        .filter((c) => c.Filter.Discover === true)
        .map((c) => c.discover(options)),
    );
  }

  #source(aliases: boolean): FanOutSource<RegionalAccount> {
    const containers = [...this.#containers];
    const failed: PreResolved[] = [];
    const usable = new Set(containers);
    const pre = (): PreResolved[] => [...failed, ...this.#skippedInView().flatMap(skippedResults)];
    return {
      prepare: async (signal) => {
        await Promise.all(
          containers
            .filter((c) => c.Filter.Discover === true)
            .map(async (c) => {
              try {
                await c.discover({ signal });
              } catch (error) {
                usable.delete(c);
                failed.push(discoveryFailure(c, error));
              }
            }),
        );
      },
      targets: () => this.#unique(containers.filter((c) => usable.has(c))),
      total: () => {
        let count = pre().length;
        for (const _ of this.#unique(containers.filter((c) => usable.has(c)))) count += 1;
        return count;
      },
      preResolved: pre,
      identify: (ra) => identifyTarget(ra, aliases),
      knownIdentity: (ra) => {
        const { accountId, alias } = knownIdentity(ra.account());
        return { accountId, alias, region: ra.region() };
      },
      regionEnabled: knownRegionEnabled,
    };
  }

  /**
   * Runs `fn` for every unique RegionalAccount, at most `concurrency` at once, and resolves to one
   * result per target and a summary. A target's failure never fails the run; containers in
   * discovery mode are discovered first (a failed discovery is one `failed` result for that
   * container); accounts recorded with {@link RegionalAccountSet.addSkippedAccount} are reported
   * `skipped`.
   *
   * @param fn - receives the RegionalAccount and its own signal (fired on cancellation or stop)
   * @param options - see {@link FanOutOptions}
   * @returns the results, in completion order, and the summary
   * @throws only what `onProgress` throws, and `RangeError` for bad options
   * @example
   * ```ts
   * const report = await set.map(
   *   (ra, signal) => ra.callClient('ec2', 'DescribeInstances', {}, undefined, { signal }),
   *   { concurrency: 32, tolerance: 0.1, ignore: ['region-not-enabled'] },
   * );
   * console.log(report.summary.succeeded, report.failures().map((f) => `${f.accountId}/${f.region}: ${f.errorClass}`));
   * ```
   */
  async map<R>(
    fn: FanOutFunction<R>,
    options: FanOutOptions<R, RegionalAccount> = {},
  ): Promise<FanOutReport<R, RegionalAccount>> {
    const run = new FanOutRun(this.#source(options.aliases !== false), fn, options);
    const results: FanOutResult<R, RegionalAccount>[] = [];
    for await (const result of run) results.push(result);
    return new FanOutReport(results, run.summary);
  }

  /**
   * The same as {@link RegionalAccountSet.map}, as an async iterator that yields each result as it
   * completes and keeps no result once yielded (memory stays bounded by `concurrency`). Work
   * starts at the first read; leaving the loop early stops the run and aborts running targets.
   *
   * @param fn - receives the RegionalAccount and its own signal
   * @param options - see {@link FanOutOptions}
   * @returns the stream, with live counts in `summary`
   * @throws `RangeError` for bad options
   * @example
   * ```ts
   * for await (const r of set.stream((ra) => ra.callClient('sts', 'GetCallerIdentity'))) {
   *   console.log(r.accountId, r.region, r.status);
   * }
   * ```
   */
  stream<R>(
    fn: FanOutFunction<R>,
    options: FanOutOptions<R, RegionalAccount> = {},
  ): FanOutStream<R, RegionalAccount> {
    return new FanOutRun(this.#source(options.aliases !== false), fn, options);
  }
}

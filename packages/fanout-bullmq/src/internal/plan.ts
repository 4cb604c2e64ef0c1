/**
 * Which configuration a run uses (by reference and digest), which targets it has, and the
 * Redis-store limits that workers put on every rate limit of it.
 */

import { createHash } from 'node:crypto';
import { getSection, loadConfig } from '@cs/config';
import type {
  CsAwsConfig,
  RateLimitConfig,
  RegionalAccountsConfig,
  RegionalAccountSetConfig,
} from '@cs/config';
import { resolveRegions } from '@cs/regional';
import { canonicalKey } from '@cs/session';
import { ConfigurationMismatchError, QueueUsageError } from '../errors';

/**
 * A configuration for a producer or a worker: a file to load (with the process's environment), or
 * a document already loaded (`loadConfig`/`parseConfig` of `@cs/config`) and the file it came from.
 *
 * @public
 */
export type QueueConfig = string | { readonly document: CsAwsConfig; readonly file?: string };

/**
 * Which configuration a run uses: the file (as the producer named it), the section, and the
 * SHA-256 digest of the section's resolved structure (secret values enter it hashed, through
 * `canonicalKey` of `@cs/session`).
 *
 * @public
 */
export interface ConfigIdentity {
  /** The file, as the producer named it (informational: workers may keep it elsewhere). */
  readonly file: string;
  /** The section's path in the document: `YourApp.RegionalAccountSet`. */
  readonly section: string;
  /** The digest (hex) of the section's resolved structure. */
  readonly digest: string;
}

/** A configuration loaded. @internal */
export interface LoadedQueueConfig {
  readonly document: CsAwsConfig;
  readonly file: string;
}

/** Loads a {@link QueueConfig}. @internal */
export async function loadQueueConfig(config: QueueConfig): Promise<LoadedQueueConfig> {
  if (typeof config === 'string') return { document: await loadConfig(config), file: config };
  if (typeof config !== 'object' || config === null || typeof config.document !== 'object') {
    throw new QueueUsageError(
      'config: expected a file name, or { document, file } with a document from loadConfig',
    );
  }
  return { document: config.document, file: config.file ?? '<config>' };
}

/** The path of an app's section. @internal */
export const sectionPath = (app: string): string => `${app}.RegionalAccountSet`;

/** The section of an app, validated. @internal */
export function sectionOf(config: LoadedQueueConfig, app: string): RegionalAccountSetConfig {
  return getSection(config.document, sectionPath(app), 'RegionalAccountSet');
}

/** The digest of a section's resolved structure. @internal */
export const digestOf = (section: RegionalAccountSetConfig): string =>
  createHash('sha256').update(canonicalKey(section)).digest('hex');

/** The top-level keys of a document that hold a RegionalAccountSet. @internal */
export const appsOf = (document: CsAwsConfig): string[] =>
  Object.keys(document).filter((key) => {
    const value = document[key];
    return typeof value === 'object' && value !== null && 'RegionalAccountSet' in value;
  });

/** The app of a document, when it has exactly one key holding a RegionalAccountSet. @internal */
export function defaultApp(document: CsAwsConfig, file: string): string {
  const apps = appsOf(document);
  if (apps.length === 1) return apps[0] as string;
  throw new QueueUsageError(
    apps.length === 0
      ? `${file} has no top-level key holding a RegionalAccountSet: add one (YourApp: { RegionalAccountSet: [...] })`
      : `${file} has several keys holding a RegionalAccountSet (${apps.join(', ')}): choose one with \`app\``,
  );
}

/** Whether an object is a store-less rate limit a worker gives a Redis store. */
const needsStore = (limit: RateLimitConfig | undefined): limit is RateLimitConfig =>
  typeof limit === 'object' && limit !== null && (limit as { store?: unknown }).store === undefined;

/**
 * The limits {@link withRedisLimits} gave a store: the entry's key and what follows it, so that
 * {@link withMemberLimits} can give an organisation member keys of its own.
 */
const assigned = new WeakMap<object, { url: string; entryKey: string; suffix: string }>();

const withStore = (
  limit: RateLimitConfig,
  url: string,
  entryKey: string,
  suffix: string,
): RateLimitConfig => {
  const stored = { ...limit, store: { redis: { url, key: `${entryKey}${suffix}` } } };
  assigned.set(stored, { url, entryKey, suffix });
  return stored;
};

/**
 * A member's entry of an organisation (its `Account` set by `memberEntry`) whose Redis-store limits
 * are its own: the keys {@link withRedisLimits} gave the organisation's entry, with the member's
 * account id, since each member account has its own limits in memory too (its own
 * RegionalAccounts). Limits that named a store in the configuration keep it. The entry given is
 * not changed.
 *
 * @internal
 */
export function withMemberLimits(
  entry: RegionalAccountsConfig,
  accountId: string,
): RegionalAccountsConfig {
  const own = <T extends RateLimitConfig | undefined>(limit: T): T => {
    const from = typeof limit === 'object' && limit !== null ? assigned.get(limit) : undefined;
    if (from === undefined) return limit;
    const { store: _store, ...bare } = limit as RateLimitConfig & { store?: unknown };
    return withStore(bare, from.url, `${from.entryKey}:member:${accountId}`, from.suffix) as T;
  };
  const ownAll = (
    limits: Record<string, RateLimitConfig> | undefined,
  ): Record<string, RateLimitConfig> | undefined =>
    limits === undefined
      ? undefined
      : Object.fromEntries(Object.entries(limits).map(([name, limit]) => [name, own(limit)]));
  const copy = { ...entry };
  copy.RateLimit = own(copy.RateLimit);
  if (copy.RateLimitRegionSpec !== undefined)
    copy.RateLimitRegionSpec = ownAll(copy.RateLimitRegionSpec);
  if (copy.RateLimitOperationSpec !== undefined) {
    copy.RateLimitOperationSpec = ownAll(copy.RateLimitOperationSpec);
  }
  return copy;
}

/**
 * A copy of the section in which every rate limit without a store keeps its state in Redis: a
 * `RateLimit` of an entry becomes one limit per region (as it is in memory), each with its own key;
 * a `RateLimitRegionSpec` value keeps its region's key; a `RateLimitOperationSpec` value gets one
 * key per entry and operation (shared by the entry's regions). Keys are derived from the
 * configuration's digest, so every worker of the same configuration names the same budgets. A
 * limit that already names a store keeps it. The section given is not changed.
 *
 * @internal
 */
export function withRedisLimits(
  section: RegionalAccountSetConfig,
  url: string,
  digest: string,
): RegionalAccountSetConfig {
  const base = `cs-aws:limit:${digest.slice(0, 16)}`;
  return section.map(({ RegionalAccounts: entry }, i) => {
    const copy = { ...entry };
    const key = `${base}:${i}`;
    if (copy.RateLimitOperationSpec !== undefined) {
      copy.RateLimitOperationSpec = Object.fromEntries(
        Object.entries(copy.RateLimitOperationSpec).map(([op, limit]) => [
          op,
          needsStore(limit) ? withStore(limit, url, key, `:op:${op}`) : limit,
        ]),
      );
    }
    const perRegion: Record<string, RateLimitConfig> = {};
    for (const [region, limit] of Object.entries(copy.RateLimitRegionSpec ?? {})) {
      perRegion[region] = needsStore(limit) ? withStore(limit, url, key, `:${region}`) : limit;
    }
    if (needsStore(copy.RateLimit)) {
      let regions: string[] = [];
      try {
        regions = resolveRegions(copy.Filter);
      } catch {
        // the builder reports a bad filter, at its path
      }
      for (const region of regions) {
        if (perRegion[region] === undefined && /\d$/.test(region)) {
          perRegion[region] = withStore(copy.RateLimit, url, key, `:${region}`);
        }
      }
      // A region the list above leaves out (a global pseudo-region) shares the entry's key.
      copy.RateLimit = withStore(copy.RateLimit, url, key, ':default');
    }
    if (Object.keys(perRegion).length > 0) copy.RateLimitRegionSpec = perRegion;
    return { RegionalAccounts: copy };
  });
}

/** Throws unless the worker's section is the one the job names. @internal */
export function checkIdentity(
  wanted: ConfigIdentity,
  mine: { file: string; digest: string | undefined },
): void {
  if (mine.digest === wanted.digest) return;
  throw new ConfigurationMismatchError(
    mine.digest === undefined
      ? `this worker's configuration (${mine.file}) has no section ${wanted.section}, which the run uses (the producer's ${wanted.file}); start the worker with the producer's configuration`
      : `this worker's section ${wanted.section} of ${mine.file} differs from the producer's (${wanted.file}): digest ${mine.digest.slice(0, 12)} here, ${wanted.digest.slice(0, 12)} in the run; start the worker with the same configuration and environment as the producer`,
  );
}

import { createRequire } from 'node:module';
import { rateLimitPropertiesFactory } from '@cs/ratelimit';
import type { RateLimitProperties, RateLimitSpec, RateLimitStore } from '@cs/ratelimit';
import type { RegionalAccountFactoryOptions } from '@cs/regional';
import type { Logger } from '@cs/session';
import type { BuildOptions } from '../BuildOptions';
import type { ConfigProblem } from '../errors';
import { ConfigError } from '../errors';
import type { BuildSite } from './buildSafely';
import { problemAt } from './buildSafely';
import type { PathSegment } from '../document/documentPath';
import { walkEntries } from '../document/walkEntries';

/** The package that holds the Redis store: an optional peer dependency of this one. */
const REDIS_PACKAGE = '@cs/ratelimit-redis';

/** What a missing optional dependency asks the user to do. */
const INSTALL_HINT = 'npm install @cs/ratelimit-redis ioredis';

/** The part of a `RedisRateLimitStore` the builders use. */
interface RedisStore extends RateLimitStore {
  attach(limit: RateLimitProperties): () => void;
  close(): Promise<void>;
}

/** The part of `@cs/ratelimit-redis` the builders use. */
interface RateLimitRedisModule {
  createRedisRateLimitStore(spec: { url: string; key: string; logger?: Logger }): RedisStore;
}

/** The `store` of a RateLimit, as the schema accepts it. */
interface StoreSpec {
  redis?: { url?: unknown; key?: unknown };
}

/**
 * Loads `@cs/ratelimit-redis` synchronously (the builders are synchronous), resolved from this
 * package's own location so that it finds the peer installed next to it. `createRequire` works in
 * both builds: the ESM one has `import.meta.url`, and tsup's `shims: true` gives the CJS one the
 * same value. From ESM (unless `loadConfig` imported it first) this loads the package's CJS
 * build, a second copy of `@cs/ratelimit`'s classes: harmless for the limit, which meets the store
 * only through the `RateLimitStore` interface, and every error guard checks `name`.
 */
const requireRateLimitRedis = (): unknown => createRequire(import.meta.url)(REDIS_PACKAGE);

/** Set by the build (tsup.config.ts): `true` in the CJS build; undefined when run from source. */
declare const __CS_CONFIG_CJS__: boolean | undefined;
// (Not `typeof module`: test runners such as vitest define `module` for ES modules too.)
const BUILT_AS_COMMONJS = typeof __CS_CONFIG_CJS__ !== 'undefined' && __CS_CONFIG_CJS__ === true;

/** The module `loadConfig` imported, when the document has a store (see {@link loadModule}). */
let imported: unknown;

/**
 * In the ESM build, imports `@cs/ratelimit-redis` when a loaded document names a store, so that
 * the builders use the copy the caller's own `import` gets (a `require` would give the CJS build,
 * whose classes differ for `instanceof`). The CJS build needs nothing: the
 * builders' `require` gives the copy a CJS caller gets. A failure is left for the builders to
 * report, at the store's path.
 */
export async function preloadRateLimitRedis(data: unknown): Promise<void> {
  if (BUILT_AS_COMMONJS || imported !== undefined) return;
  if (findStores(data).length === 0) return;
  try {
    imported = await import('@cs/ratelimit-redis');
  } catch {
    // not installed: the builders say so, with the command that installs it
  }
}

/** Every store the builders opened and nobody closed yet. */
const openStores = new Set<RedisStore>();

/** Whether loading failed because the package (or its ioredis peer) is not installed. */
const isNotInstalled = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
};

/**
 * The module: from the seam, else as `loadConfig` imported it, else required now (the builders
 * are synchronous); or a message saying what to do when it cannot be loaded.
 */
function loadModule(options: BuildOptions): RateLimitRedisModule | string {
  let loaded: unknown;
  try {
    loaded = options.loadRateLimitRedis?.() ?? imported ?? requireRateLimitRedis();
  } catch (error) {
    if (isNotInstalled(error)) {
      return `a rate limit with a Redis store needs the optional package ${REDIS_PACKAGE} (and ioredis), which is not installed: ${INSTALL_HINT}`;
    }
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return `could not load ${REDIS_PACKAGE} for this Redis store (${name}: ${message}); reinstall it: ${INSTALL_HINT}`;
  }
  if (
    typeof (loaded as Partial<RateLimitRedisModule> | null)?.createRedisRateLimitStore !==
    'function'
  ) {
    return `${REDIS_PACKAGE} was loaded but has no createRedisRateLimitStore: install a version that matches @cs/config (${INSTALL_HINT})`;
  }
  return loaded as RateLimitRedisModule;
}

/** The `store` settings of a section, with their paths. */
function findStores(data: unknown): { segments: PathSegment[]; store: unknown }[] {
  const found: { segments: PathSegment[]; store: unknown }[] = [];
  walkEntries(data, (record, key, segments) => {
    if (key !== 'store') return true;
    found.push({ segments: [...segments, key], store: record[key] });
    return false;
  });
  return found;
}

/** Whether a URL is one a Redis store can open. */
function isRedisUrl(url: unknown): boolean {
  try {
    const { protocol } = new URL(String(url));
    return typeof url === 'string' && (protocol === 'redis:' || protocol === 'rediss:');
  } catch {
    return false;
  }
}

/** The problems of one `store` setting that the schema lets through but a store cannot use. */
function storeSpecProblems(
  site: BuildSite,
  segments: PathSegment[],
  store: unknown,
): ConfigProblem[] {
  const redis = (store as StoreSpec | null)?.redis;
  if (typeof redis !== 'object' || redis === null) {
    return [
      problemAt(
        site,
        segments,
        'name the store: redis: { url, key }, or remove store for an in-memory limit',
      ),
    ];
  }
  if (!isRedisUrl(redis.url)) {
    return [
      problemAt(
        site,
        [...segments, 'redis', 'url'],
        'expected a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
      ),
    ];
  }
  if (typeof redis.key !== 'string' || redis.key === '') {
    return [
      problemAt(
        site,
        [...segments, 'redis'],
        'key is required: the name of the budget in Redis, shared by every process (and every region and section) naming it',
      ),
    ];
  }
  return [];
}

/** Builds a limit whose state lives in Redis, tracked until {@link closeStores}. */
function redisRateLimit(
  module: RateLimitRedisModule,
  logger: Logger | undefined,
  spec: RateLimitSpec & { store: unknown },
): RateLimitProperties {
  const { store, ...values } = spec;
  const redis = (store as StoreSpec).redis as { url: string; key: string };
  // The values first, so that an invalid one fails before a connection is opened.
  rateLimitPropertiesFactory(values);
  let created: RedisStore;
  try {
    created = module.createRedisRateLimitStore({
      url: redis.url,
      key: redis.key,
      ...(logger === undefined ? {} : { logger }),
    });
  } catch (error) {
    // No cause: a RateLimitConfigError of the URL keeps the URL (and its password) as `value`.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : 'invalid store';
    throw new ConfigError([
      { file: '<config>', path: 'store.redis', message: `${name}: ${message}` },
    ]);
  }
  openStores.add(created);
  const limit = rateLimitPropertiesFactory(values, { store: created });
  created.attach(limit);
  return limit;
}

/**
 * The factory options of a section to build: the builder's `logger` and `loadServiceModule`; its
 * `RateLimit.store` settings checked, and, when it has any, `@cs/ratelimit-redis` loaded (through
 * `options.loadRateLimitRedis`) and a `createRateLimit` for the factories of `@cs/regional` that
 * opens one store per limit.
 *
 * @returns the problems (a store without a key, the package not installed), and the options
 */
export function storeOptions(
  site: BuildSite,
  options: BuildOptions,
): { problems: ConfigProblem[]; factoryOptions: RegionalAccountFactoryOptions } {
  const { logger, loadServiceModule } = options;
  const base: RegionalAccountFactoryOptions = {
    ...(logger === undefined ? {} : { logger }),
    ...(loadServiceModule === undefined ? {} : { loadServiceModule }),
  };
  const stores = findStores(site.data);
  if (stores.length === 0) return { problems: [], factoryOptions: base };
  const problems = stores.flatMap(({ segments, store }) =>
    storeSpecProblems(site, segments, store),
  );
  if (problems.length > 0) return { problems, factoryOptions: base };
  const module = loadModule(options);
  if (typeof module === 'string') {
    return {
      problems: stores.map(({ segments }) => problemAt(site, segments, module)),
      factoryOptions: base,
    };
  }
  return {
    problems: [],
    factoryOptions: { ...base, createRateLimit: (spec) => redisRateLimit(module, logger, spec) },
  };
}

/**
 * Closes every store the builders opened (their Redis connections), so that the process can exit
 * by itself, and forgets them. Limits built before keep their closed store: their acquisitions
 * then fail with `RateLimitStoreError`.
 */
export async function closeStores(): Promise<void> {
  const stores = [...openStores];
  openStores.clear();
  await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
}

import { accountFactory } from '@cs/account';
import { RateLimitConfigError, rateLimitPropertiesFactory } from '@cs/ratelimit';
import type { RateLimitProperties, RateLimitSpec } from '@cs/ratelimit';
import { RegionalAccount } from './RegionalAccount';
import type { AdaptiveOptions } from './limits/AdaptiveOptions';
import type { RegionalAccountOptions } from './RegionalAccount';
import { factoryKey } from '../internal/factoryKey';

/**
 * The configuration form of a {@link RegionalAccount}, with the original's section names.
 *
 * @example
 * ```ts
 * const spec: RegionalAccountSpec = {
 *   RateLimit: { max_count: 10, interval: 1, block: true },
 *   Account: { SessionParameters: { profile_name: 'prod' } },
 *   region_name: 'eu-west-1',
 *   RateLimitOperationSpec: { organizations: { max_count: 1, interval: 1, block: true } },
 * };
 * ```
 * @public
 */
export interface RegionalAccountSpec {
  /**
   * The limit of the account-region (`max_count`, `interval` in seconds or a duration, `block`).
   * @defaultValue unlimited
   */
  RateLimit?: RateLimitSpec;
  /**
   * The account, as `accountFactory` of `@cs/account` takes it (`SessionParameters`,
   * `AssumeRole`, `AssumeRoles`).
   * @defaultValue the SDK's default credentials
   */
  Account?: Parameters<typeof accountFactory>[0];
  /**
   * The region.
   * @defaultValue the one the SDK would find: the account's session's, else `AWS_REGION`, else the
   *   region of the session's profile
   */
  region_name?: string;
  /**
   * Operation- and service-scoped limits: `service` or `service:Operation` → rate-limit spec.
   * @defaultValue none
   */
  RateLimitOperationSpec?: Record<string, RateLimitSpec>;
  /**
   * Adaptive mode (see {@link RegionalAccountOptions.adaptive}).
   * @defaultValue `false`
   */
  Adaptive?: boolean | AdaptiveOptions;
  /**
   * The SDK's `maxAttempts`.
   * @defaultValue `10`
   */
  MaxAttempts?: number;
}

/**
 * What the factory passes through to new RegionalAccounts: settings that are not part of the
 * configuration (they apply when the RegionalAccount is first created, not on cache hits).
 *
 * @public
 */
export type RegionalAccountFactoryOptions = Pick<
  RegionalAccountOptions,
  'logger' | 'clock' | 'clientCacheSize' | 'loadServiceModule'
> & {
  /**
   * Builds the limit of a rate-limit spec that names a `store` (`RateLimit` or a
   * `RateLimitOperationSpec` value such as `{ max_count: 10, interval: 1, store: { redis: { url,
   * key } } }`): `@cs/config`'s builders pass one that opens `@cs/ratelimit-redis`, so that this
   * package depends on no store. Called once per spec of a new RegionalAccount; the store spec is
   * part of the cache key, so the same spec shares one limit.
   * @defaultValue none: a spec with a `store` throws `RateLimitConfigError`
   */
  createRateLimit?: (spec: RateLimitSpec & { store: unknown }) => RateLimitProperties;
};

/**
 * The one place a rate-limit spec becomes a limit: in memory, or through `createRateLimit` when
 * the spec names a store.
 */
function rateLimitOf(
  spec: RateLimitSpec | undefined,
  createRateLimit: RegionalAccountFactoryOptions['createRateLimit'],
): RateLimitProperties {
  const store: unknown =
    typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>).store : undefined;
  if (store === undefined) return rateLimitPropertiesFactory(spec);
  if (createRateLimit === undefined) {
    throw new RateLimitConfigError(
      'store',
      undefined,
      'a rate limit with a store needs the createRateLimit option of the factory (as the builders of @cs/config give); remove store for an in-memory limit',
      false,
    );
  }
  return createRateLimit({ ...spec, store });
}

const cache = new Map<string, RegionalAccount>();

/**
 * A caching singleton factory of {@link RegionalAccount}: the same spec (by canonical key: key
 * order does not matter, secrets are hashed) returns the same object, so two callers with one spec
 * share one RegionalAccount and so one rate limit. The account comes from `accountFactory`, so it
 * is shared as well.
 *
 * @param spec - see {@link RegionalAccountSpec}
 * @param options - logger, clock, client cache size, service loader, `createRateLimit` (used on
 *   creation only)
 * @returns the RegionalAccount of that spec
 * @throws `RateLimitConfigError` (from `@cs/ratelimit`) for an invalid rate-limit spec, or one
 *   with a `store` and no `createRateLimit`
 * @throws {@link RegionRequiredError} when no region is given and none can be found where the SDK
 *   looks (the session, `AWS_REGION`, the profile's region)
 * @example
 * ```ts
 * const a = regionalAccountFactory({ RateLimit: { max_count: 5, interval: 1 }, Account: {}, region_name: 'us-east-1' });
 * const b = regionalAccountFactory({ region_name: 'us-east-1', Account: {}, RateLimit: { interval: 1, max_count: 5 } });
 * a === b; // true
 * ```
 * @public
 */
export const regionalAccountFactory = (
  spec: RegionalAccountSpec = {},
  options: RegionalAccountFactoryOptions = {},
): RegionalAccount => {
  const key = factoryKey({
    RateLimit: spec.RateLimit ?? {},
    Account: spec.Account ?? {},
    region_name: spec.region_name ?? null,
    RateLimitOperationSpec: spec.RateLimitOperationSpec ?? {},
    Adaptive: spec.Adaptive ?? false,
    MaxAttempts: spec.MaxAttempts ?? 10,
  });
  let regionalAccount = cache.get(key);
  if (regionalAccount === undefined) {
    const { createRateLimit, ...accountOptions } = options;
    const operationSpecs = spec.RateLimitOperationSpec;
    regionalAccount = new RegionalAccount(
      rateLimitOf(spec.RateLimit ?? {}, createRateLimit),
      accountFactory(spec.Account ?? {}),
      spec.region_name,
      {
        ...accountOptions,
        ...(operationSpecs === undefined
          ? {}
          : {
              operationLimits: Object.fromEntries(
                Object.entries(operationSpecs).map(([name, value]) => [
                  name,
                  rateLimitOf(value, createRateLimit),
                ]),
              ),
            }),
        ...(spec.Adaptive === undefined ? {} : { adaptive: spec.Adaptive }),
        ...(spec.MaxAttempts === undefined ? {} : { maxAttempts: spec.MaxAttempts }),
      },
    );
    cache.set(key, regionalAccount);
  }
  return regionalAccount;
};

/**
 * Empties the cache of {@link regionalAccountFactory} and destroys the clients of the
 * RegionalAccounts it held (the accounts stay in `accountFactory`'s cache).
 *
 * @example
 * ```ts
 * afterEach(() => clearRegionalAccountFactory());
 * ```
 * @public
 */
export const clearRegionalAccountFactory = (): void => {
  for (const regionalAccount of cache.values()) regionalAccount.destroy();
  cache.clear();
};

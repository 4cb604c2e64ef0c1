import type { Account } from '@cs/account';
import type {
  RegionalAccount,
  RegionalAccounts,
  RegionalAccountSet,
  RegionalAccountsSpec,
} from '@cs/regional';
import type { RateLimitOptions, RateLimitProperties, RateLimitSpec } from '@cs/ratelimit';
import type { Session, SessionOptions, SessionParameters } from '@cs/session';
import { FactoryRegistryError } from './errors';
import type {
  AccountConfig,
  RegionalAccountConfig,
  RegionalAccountsConfig,
  RegionalAccountSetConfig,
} from './types';

/**
 * The factories every registry starts with, by the original's component names, with their
 * types; an application adds its own to this interface by declaration merging, so that
 * `createObject` types them too.
 *
 * @public
 */
export interface KnownFactories {
  /** A new (uncached) `Session` from `SessionParameters`. */
  'cs.aws_account.session': (parameters?: SessionParameters, options?: SessionOptions) => Session;
  /** The cached `Session` of an `Account` section (`sessionFactory`; none: the SDK's default chain). */
  'cs.aws_account.cached_session': (section?: AccountConfig) => Session;
  /** A new `Account` of a session. */
  'cs.aws_account.account': (session: Session) => Account;
  /** The cached `Account` of an `Account` section (`accountFactory`; none: the SDK's default chain). */
  'cs.aws_account.cached_account': (section?: AccountConfig) => Account;
  /** A new `RegionalAccount` (a limit, an account, a region). */
  'cs.aws_account.regional_account': (
    ratelimit: RateLimitProperties,
    account: Account,
    region?: string,
  ) => RegionalAccount;
  /** The cached `RegionalAccount` of a `RegionalAccount` section (`Account` defaults to `{}`). */
  'cs.aws_account.cached_regional_account': (
    section?: Partial<RegionalAccountConfig>,
  ) => RegionalAccount;
  /** A new `RegionalAccounts` container of a spec. */
  'cs.aws_account.regional_accounts': (spec: RegionalAccountsSpec) => RegionalAccounts;
  /** The cached `RegionalAccounts` container of a `RegionalAccounts` section (`Account` defaults to `{}`). */
  'cs.aws_account.cached_regional_accounts': (
    section?: Partial<RegionalAccountsConfig>,
  ) => RegionalAccounts;
  /** A new `RegionalAccountSet` of containers. */
  'cs.aws_account.regional_account_set': (...containers: RegionalAccounts[]) => RegionalAccountSet;
  /** A new `RegionalAccountSet` of `{ RegionalAccounts }` entries (a `RegionalAccountSet` section). */
  'cs.aws_account.regional_account_set_from_config': (
    ...entries: RegionalAccountSetConfig
  ) => RegionalAccountSet;
  /** A new `RateLimitProperties` (`maxCount`, `interval` in ms, `block`). */
  'cs.ratelimit.properties': (options?: RateLimitOptions) => RateLimitProperties;
  /** A new `RateLimitProperties` of a `RateLimit` section (`interval` in seconds). */
  'cs.ratelimit.configured_properties': (section?: RateLimitSpec) => RateLimitProperties;
}

/** Any factory. @public */
export type AnyFactory = (...args: never[]) => unknown;

/**
 * A registry of named factories, the counterpart of the original's component registrations, so
 * that a configuration or an application can name what to build. The default registry (used by
 * `createObject` and `registerFactory`) starts with {@link KnownFactories}.
 *
 * @example
 * ```ts
 * const registry = new FactoryRegistry();
 * registry.register('myapp.inventory', (set: RegionalAccountSet) => new Inventory(set));
 * const inventory = registry.create('myapp.inventory', set);
 * ```
 * @public
 */
export class FactoryRegistry {
  readonly #factories = new Map<string, AnyFactory>();

  /**
   * @param factories - the factories to start with, by name.
   */
  constructor(factories: Readonly<Record<string, AnyFactory>> = {}) {
    for (const [name, factory] of Object.entries(factories)) this.register(name, factory);
  }

  /**
   * Registers a factory under a name.
   *
   * @param name - a dotted name, such as `myapp.inventory`.
   * @param factory - a function that builds the object from the arguments of `create`.
   * @param options - `replace: true` to replace a registered factory.
   * @throws {@link FactoryRegistryError} when the name is taken (and `replace` is not set), or
   * `factory` is not a function.
   * @example
   * ```ts
   * registry.register('myapp.report', (set: RegionalAccountSet) => new Report(set));
   * ```
   */
  register(name: string, factory: AnyFactory, options: { replace?: boolean } = {}): void {
    if (typeof name !== 'string' || name === '') {
      throw new FactoryRegistryError('a factory needs a non-empty name', String(name));
    }
    if (typeof factory !== 'function') {
      throw new FactoryRegistryError(`the factory ${name} must be a function`, name);
    }
    if (this.#factories.has(name) && options.replace !== true) {
      throw new FactoryRegistryError(
        `a factory is already registered as ${name}: pass { replace: true } to replace it`,
        name,
      );
    }
    this.#factories.set(name, factory);
  }

  /**
   * Whether a factory is registered under `name`.
   *
   * @param name - the factory's name.
   * @example
   * ```ts
   * defaultRegistry.has('cs.aws_account.cached_session'); // true
   * ```
   */
  has(name: string): boolean {
    return this.#factories.has(name);
  }

  /**
   * The registered names, sorted.
   *
   * @example
   * ```ts
   * console.log(defaultRegistry.names().join('\n'));
   * ```
   */
  names(): string[] {
    return [...this.#factories.keys()].sort();
  }

  /**
   * Builds an object with the factory registered under `name`.
   *
   * @param name - the factory's name.
   * @param args - the factory's arguments.
   * @returns what the factory returns (the same object for the same arguments, for the cached ones).
   * @throws {@link FactoryRegistryError} for an unknown name, listing the known ones; whatever
   * the factory throws (a {@link ConfigError} for an invalid section).
   * @example
   * ```ts
   * const limit = registry.create('cs.ratelimit.configured_properties', { max_count: 5, interval: 1 });
   * ```
   */
  create<N extends keyof KnownFactories>(
    name: N,
    ...args: Parameters<KnownFactories[N]>
  ): ReturnType<KnownFactories[N]>;
  create<N extends string>(
    // Only names outside KnownFactories (see createObject).
    name: N extends keyof KnownFactories ? never : N,
    ...args: unknown[]
  ): unknown;
  create(name: string, ...args: unknown[]): unknown {
    const factory = this.#factories.get(name);
    if (factory === undefined) {
      throw new FactoryRegistryError(
        `no factory is registered as ${JSON.stringify(name)}; known: ${this.names().join(', ')}`,
        name,
      );
    }
    return (factory as (...a: unknown[]) => unknown)(...args);
  }
}

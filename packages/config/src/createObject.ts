import { Account } from '@cs/account';
import { RateLimitProperties, rateLimitPropertiesFactory } from '@cs/ratelimit';
import type { RegionalAccountsSpec } from '@cs/regional';
import { RegionalAccount, RegionalAccounts, RegionalAccountSet } from '@cs/regional';
import { Session } from '@cs/session';
import { buildAccount } from './buildAccount';
import { buildRegionalAccount } from './buildRegionalAccount';
import { buildRegionalAccounts } from './buildRegionalAccounts';
import { buildRegionalAccountSet } from './buildRegionalAccountSet';
import type { BuildOptions } from './BuildOptions';
import { buildSession } from './buildSession';
import type { AnyFactory, KnownFactories } from './FactoryRegistry';
import { FactoryRegistry } from './FactoryRegistry';
import type { RegionalAccountConfig, RegionalAccountsConfig } from './types';
import { originOf } from './document/documentOrigins';

/**
 * The build options of a `cached_*` factory called through the registry: a section that was not
 * parsed from a file gets the factory's name as its `source`, so that a problem names the factory
 * called (`createObject('cs.aws_account.cached_session')`) rather than only a section.
 */
const calledAs = (name: keyof KnownFactories, section: unknown): BuildOptions =>
  originOf(section) === undefined ? { source: `createObject('${name}')` } : {};

/**
 * A section given in code without `Account` (or `Organization`) gets `Account: {}`, as
 * `regionalAccountFactory` and `regionalAccountsFactory` default it (the SDK's default chain); a
 * section parsed from a file is left as it is, for its own problems to be placed in the file.
 */
function withDefaultAccount<T extends object>(section: Partial<T> | undefined): T {
  if (section === undefined) return { Account: {} } as unknown as T;
  if (originOf(section) !== undefined || typeof section !== 'object' || section === null) {
    return section as T;
  }
  return 'Account' in section || 'Organization' in section
    ? (section as T)
    : ({ ...section, Account: {} } as T);
}

// The `cached_*` factories accept what the factories they stand for accept: no section is the
// SDK's default chain, as for `sessionFactory()`, `accountFactory()`, `regionalAccountFactory()`.
const builtIns: { [N in keyof KnownFactories]: KnownFactories[N] } = {
  'cs.aws_account.session': (parameters, options) => new Session(parameters, options),
  'cs.aws_account.cached_session': (section = {}) =>
    buildSession(section, calledAs('cs.aws_account.cached_session', section)),
  'cs.aws_account.account': (session) => new Account(session),
  'cs.aws_account.cached_account': (section = {}) =>
    buildAccount(section, calledAs('cs.aws_account.cached_account', section)),
  'cs.aws_account.regional_account': (ratelimit, account, region) =>
    new RegionalAccount(ratelimit, account, region),
  'cs.aws_account.cached_regional_account': (section) =>
    buildRegionalAccount(
      withDefaultAccount<RegionalAccountConfig>(section),
      calledAs('cs.aws_account.cached_regional_account', section),
    ),
  'cs.aws_account.regional_accounts': (spec: RegionalAccountsSpec) => new RegionalAccounts(spec),
  'cs.aws_account.cached_regional_accounts': (section) =>
    buildRegionalAccounts(
      withDefaultAccount<RegionalAccountsConfig>(section),
      calledAs('cs.aws_account.cached_regional_accounts', section),
    ),
  'cs.aws_account.regional_account_set': (...containers) => new RegionalAccountSet(...containers),
  'cs.aws_account.regional_account_set_from_config': (...entries) =>
    buildRegionalAccountSet(entries),
  'cs.ratelimit.properties': (options) => new RateLimitProperties(options),
  'cs.ratelimit.configured_properties': (section) => rateLimitPropertiesFactory(section),
};

/**
 * The registry `createObject` and `registerFactory` use, with the original's component names
 * (`cs.aws_account.cached_session`, `cs.ratelimit.properties`, ...) registered.
 *
 * @example
 * ```ts
 * defaultRegistry.names(); // ['cs.aws_account.account', ...]
 * ```
 * @public
 */
export const defaultRegistry = new FactoryRegistry(builtIns);

/**
 * Builds an object by the name of its factory in the default registry, as the original's
 * component registrations did. The `cached_*` factories return the same object for the same
 * arguments; the others a new one.
 *
 * @param name - e.g. `'cs.aws_account.cached_regional_accounts'`.
 * @param args - the factory's arguments (a configuration section for the `cached_*` ones).
 * @returns the object.
 * @throws {@link FactoryRegistryError} for an unknown name, listing the known ones;
 * {@link ConfigError} for an invalid section.
 * @example
 * ```ts
 * const session = createObject('cs.aws_account.cached_session', { SessionParameters: { region_name: 'eu-west-1' } });
 * const limit = createObject('cs.ratelimit.configured_properties', { max_count: 10, interval: 1 });
 * ```
 * @public
 */
export function createObject<N extends keyof KnownFactories>(
  name: N,
  ...args: Parameters<KnownFactories[N]>
): ReturnType<KnownFactories[N]>;
export function createObject<N extends string>(
  // Only names outside KnownFactories: with a plain `string` here, TypeScript resolves known
  // names to this overload too, and their results to `unknown`.
  name: N extends keyof KnownFactories ? never : N,
  ...args: unknown[]
): unknown;
export function createObject(name: string, ...args: unknown[]): unknown {
  return defaultRegistry.create(name, ...args);
}

/**
 * Registers an application's factory in the default registry, so that `createObject(name, ...)`
 * builds with it.
 *
 * @param name - a dotted name, such as `myapp.inventory`.
 * @param factory - builds the object from `createObject`'s arguments.
 * @param options - `replace: true` to replace a registered factory.
 * @throws {@link FactoryRegistryError} when the name is taken.
 * @example
 * ```ts
 * registerFactory('myapp.inventory', (set: RegionalAccountSet) => new Inventory(set));
 * ```
 * @public
 */
export function registerFactory(
  name: string,
  factory: AnyFactory,
  options: { replace?: boolean } = {},
): void {
  defaultRegistry.register(name, factory, options);
}

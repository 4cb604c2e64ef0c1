/**
 * Loads `@aws-sdk/client-<service>` on demand for the dynamic API (`callClient`, `paginate`), and
 * finds in it the client class, the commands and the paginators. The client packages are not
 * dependencies of `@cs/regional`: the user installs the ones they call.
 */

import {
  OperationNotPaginatedError,
  ServiceClientNotInstalledError,
  UnknownOperationError,
} from './errors';
import { closeMatches, resolveOperationName } from './operationName';
import type { ServiceModuleLoader } from './ServiceModuleLoader';

/** A client constructor of the SDK, as far as the dynamic API needs it. @internal */
export type AnyClientClass = new (config: object) => AnySdkClient;

/** What the dynamic API does with a client. @internal */
export interface AnySdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

/** A command constructor. @internal */
export type AnyCommandClass = new (input: object) => unknown;

/** An SDK paginator function (`paginateListAccounts`). @internal */
export type AnyPaginator = (
  config: { client: AnySdkClient } & Record<string, unknown>,
  input: object,
) => AsyncIterable<unknown>;

/** A loaded service package. @internal */
export interface ServiceModule {
  readonly service: string;
  readonly packageName: string;
  readonly ClientClass: AnyClientClass;
  /** Operation names (`GetCallerIdentity`), sorted. */
  readonly operations: readonly string[];
  /** The command of an operation in either spelling; throws {@link UnknownOperationError}. */
  command(operation: string): { name: string; Command: AnyCommandClass };
  /** The paginator of an operation; throws {@link OperationNotPaginatedError}. */
  paginator(operation: string): { name: string; paginate: AnyPaginator };
}

const defaultLoader: ServiceModuleLoader = (packageName) =>
  import(packageName) as Promise<Record<string, unknown>>;

/** The package of a service id: `sts` → `@aws-sdk/client-sts`. @internal */
export const servicePackageName = (service: string): string =>
  `@aws-sdk/client-${service.toLowerCase()}`;

const isModuleNotFound = (error: unknown, packageName: string): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /cannot find (module|package)|failed to (load|resolve)/i.test(error.message)) &&
    error.message.includes(packageName)
  );
};

/** The client class: an export named `…Client` that extends the package's `__Client`. */
const findClientClass = (module: Record<string, unknown>): AnyClientClass | undefined => {
  const base = module.__Client;
  const candidates = Object.entries(module)
    .filter(
      ([key, value]) =>
        key.endsWith('Client') &&
        key !== '__Client' &&
        typeof value === 'function' &&
        (typeof base !== 'function' || (value as { prototype: unknown }).prototype instanceof base),
    )
    .sort(([a], [b]) => a.length - b.length);
  return candidates[0]?.[1] as AnyClientClass | undefined;
};

const cache = new WeakMap<ServiceModuleLoader, Map<string, Promise<ServiceModule>>>();

/**
 * Loads (once per loader and service) the SDK package of `service`.
 *
 * @throws ServiceClientNotInstalledError when the package cannot be found, or holds no client
 * @internal
 */
export const loadServiceModule = (
  service: string,
  loader: ServiceModuleLoader = defaultLoader,
): Promise<ServiceModule> => {
  const id = service.toLowerCase();
  let perLoader = cache.get(loader);
  if (perLoader === undefined) {
    perLoader = new Map();
    cache.set(loader, perLoader);
  }
  let loading = perLoader.get(id);
  if (loading === undefined) {
    loading = load(id, loader);
    perLoader.set(id, loading);
    // A failed load is never cached: the user may install the package and try again.
    loading.catch(() => perLoader.delete(id));
  }
  return loading;
};

const load = async (service: string, loader: ServiceModuleLoader): Promise<ServiceModule> => {
  const packageName = servicePackageName(service);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service)) {
    throw new ServiceClientNotInstalledError(service, packageName);
  }
  let module: Record<string, unknown>;
  try {
    module = await loader(packageName);
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new ServiceClientNotInstalledError(service, packageName, error);
    }
    throw error;
  }
  // A CJS module imported from ESM may arrive wrapped in `default`.
  if (module.__Client === undefined && typeof module.default === 'object' && module.default) {
    module = module.default as Record<string, unknown>;
  }
  const ClientClass = findClientClass(module);
  if (ClientClass === undefined) throw new ServiceClientNotInstalledError(service, packageName);
  const operations = Object.keys(module)
    .filter((key) => key.endsWith('Command') && key !== 'Command' && key !== '$Command')
    .filter((key) => typeof module[key] === 'function')
    .map((key) => key.slice(0, -'Command'.length))
    .sort();
  const resolve = (operation: string): string => {
    const name = resolveOperationName(operation, operations);
    if (name === undefined) {
      throw new UnknownOperationError(service, operation, closeMatches(operation, operations));
    }
    return name;
  };
  return {
    service,
    packageName,
    ClientClass,
    operations,
    command(operation) {
      const name = resolve(operation);
      return { name, Command: module[`${name}Command`] as AnyCommandClass };
    },
    paginator(operation) {
      const name = resolve(operation);
      const paginate = module[`paginate${name}`];
      if (typeof paginate !== 'function') throw new OperationNotPaginatedError(service, name);
      return { name, paginate: paginate as AnyPaginator };
    },
  };
};

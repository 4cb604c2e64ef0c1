import { EventEmitter } from 'node:events';
import { isRateLimitError, systemClock } from '@cs/ratelimit';
import type { Clock, RateLimitProperties, RateLimitSpec } from '@cs/ratelimit';
import type { Account } from '@cs/account';
import { canonicalKey, ClientCache } from '@cs/session';
import type { AwsClient, ClientConfigOf, CredentialsRefreshEvent, Logger } from '@cs/session';
import { isRegionalError } from '../errors';
import { AwsClientError, RegionRequiredError } from './errors';
import type { AdaptiveRateEvent, RegionalAccountEventMap } from './RegionalAccountEvents';
import type { AdaptiveOptions } from './limits/AdaptiveOptions';
import { rateLimitPlugin, serviceIdOf } from './limits/rateLimitPlugin';
import { checkRateLimit, RegionalLimits } from './limits/RegionalLimits';
import { loadServiceModule } from './serviceLoader';
import { copyInput, paginationInput, RepeatedTokenStop } from './callerInput';
import type { AnySdkClient } from './serviceLoader';
import type { ServiceModuleLoader } from './ServiceModuleLoader';

/**
 * Operation-scoped limits on top of a RegionalAccount's own: keys are an SDK service id
 * (`organizations`: every call to that service) or `service:Operation` (`iam:ListRoles`, or the
 * original's `iam:list_roles`); values a rate-limit spec (as for `rateLimitPropertiesFactory`:
 * `max_count`, `interval` in seconds or a duration, `block`) or a `RateLimitProperties`, which
 * may then be shared with other RegionalAccounts.
 *
 * @example
 * ```ts
 * const spec: RateLimitOperationSpec = {
 *   organizations: { max_count: 1, interval: 1, block: true },
 *   'iam:ListRoles': { max_count: 5, interval: '1s', block: true },
 * };
 * ```
 * @public
 */
export type RateLimitOperationSpec = Record<string, RateLimitSpec | RateLimitProperties>;

/**
 * The options of a {@link RegionalAccount}.
 *
 * @public
 */
export interface RegionalAccountOptions {
  /**
   * Where the RegionalAccount reports retries, throttling and adaptive changes (debug, warn, info).
   * @defaultValue silent
   */
  logger?: Logger;
  /**
   * The SDK's `maxAttempts` for the clients of this RegionalAccount (standard retry mode; the one
   * retry layer).
   * @defaultValue `10`
   */
  maxAttempts?: number;
  /**
   * Adaptive mode: on AWS throttling answers, an internal limit under the configured one drops
   * multiplicatively, then recovers additively up to the configured limit. `true` for the
   * defaults ({@link AdaptiveOptions}).
   * @defaultValue `false`
   */
  adaptive?: boolean | AdaptiveOptions;
  /**
   * Operation- and service-scoped limits; a request takes a slot from every limit that applies.
   * @defaultValue none
   */
  operationLimits?: RateLimitOperationSpec;
  /**
   * The size of the least-recently-used cache of SDK clients this RegionalAccount shares with every
   * RegionalAccount of the process given the same size (one cache per size): past it, the least
   * recently used client, of whichever RegionalAccount, is destroyed and rebuilt on its next use
   * (from the same session credentials and with the same limits). Size it for the clients in use
   * at once: a fan-out's concurrency times the services each target calls.
   * @defaultValue `256` ({@link DEFAULT_CLIENT_CACHE_SIZE})
   */
  clientCacheSize?: number;
  /**
   * The time seam (measures waits, paces adaptive recovery, drives the internal adaptive limiter).
   * @defaultValue `performance.now()` and `setTimeout`, looked up at each call
   */
  clock?: Clock;
  /**
   * Imports `@aws-sdk/client-<service>` for `callClient` and `paginate`.
   * @defaultValue the runtime's `import()`
   */
  loadServiceModule?: ServiceModuleLoader;
}

/** The options of one dynamic call. @public */
export interface CallOptions {
  /** Cancels the call, including a wait for rate-limit slots. @defaultValue none */
  signal?: AbortSignal;
}

/** The pagination settings of {@link RegionalAccount.paginate}, as the SDK's paginators take them. @public */
export interface PaginationConfig {
  /** The page size, for the services that take one. @defaultValue the service's */
  pageSize?: number;
  /** The token to start from. @defaultValue the first page */
  startingToken?: unknown;
  /**
   * Stop when the service returns the same token twice in a row, as the SDK does. Whatever this
   * says, `paginate` never sends a token it has sent before: a token that repeats (in a row or
   * after a loop) ends the iteration, so that a pagination always ends.
   * @defaultValue `true`
   */
  stopOnSameToken?: boolean;
  /**
   * The most items to yield in all, as the original's `PaginationConfig.MaxItems`: once reached,
   * the iteration stops mid-page (the last page's list is cut short, on a copy of the page) and no
   * further page is asked for. Items are those of the page's `resultKey` list.
   * @defaultValue no limit
   */
  maxItems?: number;
  /**
   * The list field of a page whose items `maxItems` counts (`Reservations` for
   * `DescribeInstances`, `Accounts` for `ListAccounts`).
   * @defaultValue the page's first list field
   */
  resultKey?: string;
  /** Cancels the iteration, including a wait for rate-limit slots. @defaultValue none */
  signal?: AbortSignal;
}

/** The list field of a page that `maxItems` counts: `resultKey`, else the first list field. */
const pageItemsKey = (page: unknown, resultKey: string | undefined): string | undefined => {
  if (typeof page !== 'object' || page === null) return undefined;
  if (resultKey !== undefined) return resultKey;
  return Object.keys(page).find(
    (key) => key !== '$metadata' && Array.isArray((page as Record<string, unknown>)[key]),
  );
};

/**
 * An SDK command, as far as {@link RegionalAccount.send} needs it (its output type is inferred).
 *
 * @public
 */
export interface SdkCommand<Output> {
  readonly input: object;
  resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: Output }>;
}

/** A listener of event `K`: called with the event's payload. Inlined in the API docs. @inline */
type Listener<K extends keyof RegionalAccountEventMap> = (
  event: RegionalAccountEventMap[K],
) => void;

/**
 * How many SDK clients the RegionalAccounts of a process keep when given no `clientCacheSize`: room
 * for a fan-out of concurrency 64 whose targets call four services each.
 *
 * @public
 */
export const DEFAULT_CLIENT_CACHE_SIZE = 256;

/**
 * The client caches RegionalAccounts share, one per size: a client is built for one target, so
 * memory follows the clients in use (a fan-out's concurrency), not the number of RegionalAccounts.
 */
const sharedClientCaches = new Map<number, ClientCache<AwsClient>>();

const sharedClientCache = (size: number): ClientCache<AwsClient> => {
  let cache = sharedClientCaches.get(size);
  if (cache === undefined) {
    cache = new ClientCache<AwsClient>(size);
    sharedClientCaches.set(size, cache);
  }
  return cache;
};

/**
 * The SDK service id of each client the RegionalAccounts built, worked out once, when the client is
 * built (its rate-limit middleware is for that service), and read by `send` for the errors it wraps.
 */
const clientServices = new WeakMap<object, string>();

/** Numbers RegionalAccounts for the keys of their clients in the shared caches. */
let nextRegionalAccountId = 1;

/** How long a failed lookup of the account id and alias for error messages is not repeated. */
const IDENTITY_RETRY_MS = 60_000;

const isAbortError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

/**
 * One account in one region, with a rate limit that every HTTP request to AWS passes: single
 * calls, every page of a paginator and every retry of the SDK (the limit is a middleware in the
 * `finalizeRequest` step of each client it hands out, inside the SDK's retry loop).
 *
 * The limit can be read, replaced (`ra.ratelimit = other`) and re-tuned at run time
 * (`ra.ratelimit.maxCount = 2`); the next attempt obeys the new values. With a non-blocking limit,
 * an attempt (a retry included) that finds no slot fails with `RateLimitExceeded`, which the SDK
 * does not retry.
 *
 * @example
 * ```ts
 * const ra = new RegionalAccount(new RateLimitProperties({ maxCount: 10, interval: '1s', block: true }), account, 'eu-west-1');
 * const sts = ra.client(STSClient);
 * const { Account } = await sts.send(new GetCallerIdentityCommand({}));
 * const same = await ra.callClient('sts', 'get_caller_identity');
 * for await (const page of paginateDescribeInstances({ client: ra.client(EC2Client) }, {})) console.log(page.Reservations);
 * for await (const page of ra.paginate('iam', 'ListRoles')) console.log(page);
 * ra.on('throttled', ({ operation }) => console.warn(`throttled: ${operation}`));
 * ra.ratelimit.maxCount = 20;
 * ```
 * @public
 */
export class RegionalAccount {
  readonly #account: Account;
  readonly #region: string;
  readonly #logger: Logger;
  readonly #maxAttempts: number;
  readonly #clock: Clock;
  readonly #loader: ServiceModuleLoader | undefined;
  readonly #clients: ClientCache<AwsClient>;
  readonly #id = nextRegionalAccountId++;
  readonly #events = new EventEmitter();
  /** The limits every request of this RegionalAccount passes, handed to each client's middleware. */
  readonly #limits: RegionalLimits;
  #forwardingRefresh = false;
  #identityLookup:
    | {
        at: number;
        complete: boolean;
        promise: Promise<{ accountId: string | undefined; alias: string | undefined }>;
      }
    | undefined;
  readonly #forwardRefresh = (event: CredentialsRefreshEvent): void => {
    this.#emit('credentials-refresh', event);
  };

  /**
   * @param ratelimit - the limit of this account-region (every request takes a slot)
   * @param account - the account
   * @param region - the region; by default the one the SDK would find: the account's session's,
   *   else `AWS_REGION`, else the region of the session's profile (`session.findRegion()`)
   * @param options - logger, retries, adaptive mode, operation limits (see {@link RegionalAccountOptions})
   * @throws {@link RegionRequiredError} when no region is given and none can be found
   * @throws TypeError when `ratelimit` is not a `RateLimitProperties`
   * @throws `RateLimitConfigError` (from `@cs/ratelimit`) for an invalid operation limit spec
   * @throws RangeError for an invalid `maxAttempts`, `clientCacheSize` or adaptive setting
   * @example
   * ```ts
   * const ra = new RegionalAccount(new RateLimitProperties({ maxCount: 5, interval: 1000 }), account, 'us-east-1', { adaptive: true });
   * ```
   */
  constructor(
    ratelimit: RateLimitProperties,
    account: Account,
    region?: string,
    options: RegionalAccountOptions = {},
  ) {
    // Checked before the region is looked up, so that a wrong argument is reported first.
    checkRateLimit(ratelimit);
    this.#account = account;
    // Where the SDK looks: the session's region, AWS_REGION, the profile's region.
    const session = account.session();
    const lookup =
      region === undefined && session.region === undefined ? session.findRegion() : undefined;
    const resolved = region ?? session.region ?? lookup?.region;
    if (resolved === undefined || resolved === '') {
      throw new RegionRequiredError(lookup?.looked ?? []);
    }
    this.#region = resolved;
    this.#logger = options.logger ?? {};
    const maxAttempts = options.maxAttempts ?? 10;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    }
    this.#maxAttempts = maxAttempts;
    this.#clock = options.clock ?? systemClock;
    this.#loader = options.loadServiceModule;
    this.#clients = sharedClientCache(options.clientCacheSize ?? DEFAULT_CLIENT_CACHE_SIZE);
    this.#limits = new RegionalLimits(ratelimit, {
      region: this.#region,
      operationLimits: options.operationLimits,
      adaptive: options.adaptive,
      clock: this.#clock,
      emit: (event, payload) => this.#emit(event, payload),
    });
  }

  /** The region of this RegionalAccount. */
  region(): string {
    return this.#region;
  }

  /** The account of this RegionalAccount. */
  account(): Account {
    return this.#account;
  }

  /**
   * The limit every request of this RegionalAccount takes a slot from. Its values can be changed
   * at run time (`ra.ratelimit.maxCount = 2`), and it can be replaced (`ra.ratelimit = other`); the
   * next request attempt obeys the change, in every client already handed out.
   *
   * @throws TypeError (setter) when the value is not a `RateLimitProperties`
   */
  get ratelimit(): RateLimitProperties {
    return this.#limits.ratelimit;
  }
  set ratelimit(value: RateLimitProperties) {
    this.#limits.ratelimit = value;
  }

  /**
   * The operation- and service-scoped limits, by normalized key (`organizations`,
   * `iam:listroles`): their values can be changed at run time.
   */
  get operationLimits(): ReadonlyMap<string, RateLimitProperties> {
    return this.#limits.operationLimits;
  }

  /** The `maxAttempts` of this RegionalAccount's clients. */
  get maxAttempts(): number {
    return this.#maxAttempts;
  }

  /**
   * In adaptive mode, the reduced rate (requests per interval) after throttling; `undefined` when
   * the configured limit applies unreduced, or adaptive mode is off.
   */
  get adaptiveMaxCount(): number | undefined {
    return this.#limits.adaptiveMaxCount;
  }

  #emit<K extends keyof RegionalAccountEventMap>(
    event: K,
    payload: RegionalAccountEventMap[K],
  ): void {
    if (event === 'retry') {
      this.#logger.debug?.(`retrying ${payloadLabel(payload)}`, payload);
    } else if (event === 'throttled') {
      this.#logger.warn?.(`throttled by AWS: ${payloadLabel(payload)}`, payload);
    } else if (event === 'adaptive') {
      this.#logger.info?.(adaptiveLabel(payload as AdaptiveRateEvent), payload);
    }
    if (this.#events.listenerCount(event) === 0) return;
    try {
      this.#events.emit(event, payload);
    } catch (error) {
      this.#logger.error?.(`a listener of the ${event} event threw`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * Listens to an event (see {@link RegionalAccountEventMap}): `request`, `retry`, `throttled`,
   * `rate-limit-wait`, `adaptive`, `credentials-refresh` (forwarded from the account's session).
   *
   * @param event - the event name
   * @param listener - called synchronously with the event's payload
   * @returns this RegionalAccount
   * @example
   * ```ts
   * ra.on('retry', ({ operation, attempt }) => console.log(`${operation}: attempt ${attempt}`));
   * ```
   */
  on<K extends keyof RegionalAccountEventMap>(event: K, listener: Listener<K>): this {
    this.#events.on(event, listener);
    if (event === 'credentials-refresh' && !this.#forwardingRefresh) {
      // Subscribed on demand: thousands of RegionalAccounts share a few sessions.
      this.#forwardingRefresh = true;
      this.#account.session().on('credentials-refresh', this.#forwardRefresh);
    }
    return this;
  }

  /**
   * Stops listening.
   *
   * @param event - the event name
   * @param listener - the listener given to {@link RegionalAccount.on}
   * @returns this RegionalAccount
   */
  off<K extends keyof RegionalAccountEventMap>(event: K, listener: Listener<K>): this {
    this.#events.off(event, listener);
    if (
      event === 'credentials-refresh' &&
      this.#forwardingRefresh &&
      this.#events.listenerCount(event) === 0
    ) {
      this.#forwardingRefresh = false;
      this.#account.session().off('credentials-refresh', this.#forwardRefresh);
    }
    return this;
  }

  /**
   * A rate-limited client of `ClientClass` for this account and region (built by the account's
   * session: credentials, endpoint rules; plus this RegionalAccount's rate-limit middleware, the
   * standard retry mode and `maxAttempts`). Cached per class and configuration in the client
   * cache this RegionalAccount shares (see {@link RegionalAccountOptions.clientCacheSize}): a
   * client evicted from it keeps working for whoever holds it, and the next call builds another
   * with the same credentials provider and limits. SDK paginators work on it unchanged.
   *
   * @param ClientClass - an SDK v3 client class (`EC2Client`, ...)
   * @param config - extra client configuration (`region` is always this RegionalAccount's)
   * @returns the client (owned by the cache: do not destroy it)
   * @example
   * ```ts
   * for await (const page of paginateDescribeInstances({ client: ra.client(EC2Client) }, {})) use(page);
   * ```
   */
  client<T extends new (config: never) => AwsClient>(
    ClientClass: T,
    config?: Partial<ClientConfigOf<T>>,
  ): InstanceType<T> {
    // canonicalKey keys a class by identity (two classes may share a name), its config by value.
    const key = `${this.#id}|${canonicalKey([ClientClass, config ?? {}])}`;
    return this.#clients.getOrCreate(key, () => {
      const extra = (config ?? {}) as Record<string, unknown>;
      const client: AwsClient = this.#account.session().createClient(ClientClass, {
        ...extra,
        region: this.#region,
        maxAttempts: typeof extra.maxAttempts === 'number' ? extra.maxAttempts : this.#maxAttempts,
        // One retry layer: the SDK's standard mode (adaptive would add the SDK's own limiter).
        retryMode: 'standard',
      });
      const service = serviceIdOf(client, ClientClass);
      clientServices.set(client, service);
      client.middlewareStack?.use(rateLimitPlugin(this.#limits, service));
      return client;
    }) as InstanceType<T>;
  }

  /**
   * Sends `command` with the rate-limited client of `ClientClass`; AWS errors are wrapped in an
   * {@link AwsClientError}.
   *
   * @param ClientClass - the SDK client class of the command's service
   * @param command - the command
   * @param options - `signal` cancels the call
   * @returns the command's output
   * @throws {@link AwsClientError} for an error of AWS (or of the network, or the credentials)
   * @throws `RateLimitExceeded` when a non-blocking limit has no free slot
   * @example
   * ```ts
   * const { Account } = await ra.send(STSClient, new GetCallerIdentityCommand({}));
   * ```
   */
  async send<Output>(
    ClientClass: new (config: never) => AwsClient,
    command: SdkCommand<Output>,
    options: CallOptions = {},
  ): Promise<Output> {
    const client = this.client(ClientClass) as unknown as AnySdkClient;
    const service = clientServices.get(client) ?? serviceIdOf(client, ClientClass);
    const operation = command.constructor.name.replace(/Command$/, '');
    try {
      return (await client.send(command, abortOptions(options.signal))) as Output;
    } catch (error) {
      throw await this.#wrap(error, service, operation);
    }
  }

  /**
   * Calls `operation` of `service` by name, loading `@aws-sdk/client-<service>` on demand.
   *
   * @param service - the SDK service id (`sts`, `ec2`, `iam`, `organizations`, ...)
   * @param operation - `GetCallerIdentity` or the original's `get_caller_identity`
   * @param input - the operation's input
   * @param clientConfig - extra client configuration
   * @param options - `signal` cancels the call
   * @returns the operation's output
   * @throws {@link ServiceClientNotInstalledError} when the service's package is not installed
   * @throws {@link UnknownOperationError} (listing close matches) for a wrong operation name
   * @throws {@link AwsClientError} for an error of AWS (or of the network, or the credentials)
   * @throws `RateLimitExceeded` when a non-blocking limit has no free slot
   * @example
   * ```ts
   * const { Account } = await ra.callClient('sts', 'get_caller_identity');
   * ```
   */
  async callClient<Output = Record<string, unknown>>(
    service: string,
    operation: string,
    input: object = {},
    clientConfig?: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<Output> {
    const module = await loadServiceModule(service, this.#loader);
    const { name, Command } = module.command(operation);
    const client = this.client(module.ClientClass, clientConfig);
    try {
      // A copy: a middleware may change its command's input, and `input` is the caller's.
      const command = new Command(copyInput(input));
      return (await client.send(command, abortOptions(options.signal))) as Output;
    } catch (error) {
      throw await this.#wrap(error, module.service, name);
    }
  }

  /**
   * Iterates the pages of `operation` of `service` through the SDK's paginator, every page
   * rate-limited; loads `@aws-sdk/client-<service>` on demand. `input` is never changed (the
   * paginator works on a copy), so one input can serve many RegionalAccounts at once; a page token
   * that repeats one already sent ends the iteration (logged as a warning).
   *
   * @param service - the SDK service id
   * @param operation - `ListAccounts` or `list_accounts`
   * @param input - the operation's input
   * @param paginationConfig - page size, starting token, `maxItems` (stop mid-page once that many
   *   items were yielded), `signal`
   * @returns an async iterator of pages
   * @throws `RangeError` for a `maxItems` that is not a whole number of at least 1
   * @throws (on iteration) {@link OperationNotPaginatedError}, {@link UnknownOperationError},
   *   {@link ServiceClientNotInstalledError}, {@link AwsClientError}, `RateLimitExceeded`
   * @example
   * ```ts
   * for await (const page of ra.paginate('organizations', 'list_accounts')) console.log(page.Accounts);
   * ```
   */
  async *paginate<Page = Record<string, unknown>>(
    service: string,
    operation: string,
    input: object = {},
    paginationConfig: PaginationConfig = {},
  ): AsyncGenerator<Page, void, undefined> {
    const { signal, maxItems, resultKey, ...config } = paginationConfig;
    if (maxItems !== undefined && (!Number.isSafeInteger(maxItems) || maxItems < 1)) {
      throw new RangeError(
        `paginate: maxItems must be a whole number of at least 1, not ${String(maxItems)}`,
      );
    }
    const module = await loadServiceModule(service, this.#loader);
    const { name, paginate } = module.paginator(operation);
    const client = this.client(module.ClientClass);
    // The SDK's paginator writes each token into its input: it gets its own watched copy, so that
    // the caller's input never changes (one input may serve every target of a fan-out), and a
    // token already sent ends the iteration rather than asking for the same pages again.
    const pages = (
      paginate as (
        config: object,
        input: object,
        ...additional: unknown[]
      ) => AsyncIterable<unknown>
    )(
      { stopOnSameToken: true, ...config, client },
      paginationInput(input),
      ...(signal === undefined ? [] : [{ abortSignal: signal }]),
    );
    let remaining = maxItems;
    try {
      for await (const page of pages) {
        if (remaining === undefined) {
          yield page as Page;
          continue;
        }
        const key = pageItemsKey(page, resultKey);
        const items = key === undefined ? undefined : (page as Record<string, unknown>)[key];
        if (!Array.isArray(items) || items.length < remaining) {
          remaining -= Array.isArray(items) ? items.length : 0;
          yield page as Page;
          continue;
        }
        // The last page: cut its list on a copy (the SDK's page is left as it is), ask no more.
        yield { ...(page as object), [key as string]: items.slice(0, remaining) } as Page;
        return;
      }
    } catch (error) {
      if (error instanceof RepeatedTokenStop) {
        this.#logger.warn?.(
          `${module.service}:${name} in ${this.#region} returned a page token it had returned before: pagination stopped there`,
          { region: this.#region, service: module.service, operation: name },
        );
        return;
      }
      throw await this.#wrap(error, module.service, name);
    }
  }

  /**
   * The account id and alias for error messages: one lookup shared by concurrent errors; a lookup
   * that failed (often for the very reason the call failed: wrong credentials) is not repeated for
   * a minute, so that a run of failing calls does not double its traffic.
   */
  #identity(): Promise<{ accountId: string | undefined; alias: string | undefined }> {
    const now = this.#clock.now();
    const cached = this.#identityLookup;
    if (cached !== undefined && (cached.complete || now - cached.at < IDENTITY_RETRY_MS)) {
      return cached.promise;
    }
    const lookup = {
      at: now,
      complete: false,
      promise: Promise.all([
        this.#account.accountId().then(
          (id) => id,
          () => undefined,
        ),
        this.#account.alias().then(
          (alias) => alias,
          () => undefined,
        ),
      ]).then(([accountId, alias]) => {
        lookup.complete = accountId !== undefined && alias !== undefined;
        return { accountId, alias };
      }),
    };
    this.#identityLookup = lookup;
    return lookup.promise;
  }

  /** Wraps an error of AWS in an AwsClientError; lets rate-limit, abort and own errors through. */
  async #wrap(error: unknown, service: string, operation: string): Promise<unknown> {
    if (isRateLimitError(error) || isAbortError(error) || isRegionalError(error)) return error;
    const { accountId, alias } = await this.#identity();
    return new AwsClientError(error, {
      accountId,
      alias,
      region: this.#region,
      service,
      operation,
    });
  }

  /** Destroys the clients this RegionalAccount has in its cache (they are rebuilt on demand). */
  destroy(): void {
    const prefix = `${this.#id}|`;
    for (const key of [...this.#clients.keys()]) {
      if (key.startsWith(prefix)) this.#clients.delete(key);
    }
  }

  /** `RegionalAccount(eu-west-1)`: never a credential. */
  toString(): string {
    return `RegionalAccount(${this.#region})`;
  }

  /** The region, the limit and the adaptive rate; never a credential. */
  toJSON(): { region: string; maxCount: number; interval: number; block: boolean } {
    const { maxCount, interval, block } = this.#limits.ratelimit;
    return { region: this.#region, maxCount, interval, block };
  }
}

const abortOptions = (signal: AbortSignal | undefined): { abortSignal: AbortSignal } | undefined =>
  signal === undefined ? undefined : { abortSignal: signal };

const payloadLabel = (payload: object): string => {
  const { service, operation, region, attempt } = payload as Record<string, unknown>;
  return `${String(service)}:${String(operation)} in ${String(region)} (attempt ${String(attempt)})`;
};

const adaptiveLabel = ({ region, reason, maxCount, interval }: AdaptiveRateEvent): string =>
  `adaptive rate of ${region}: ${reason}` +
  (maxCount === undefined ? ' (configured limit applies)' : ` to ${maxCount} per ${interval} ms`);

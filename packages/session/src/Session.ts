import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { AssumeRoleCommandOutput, GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ClientCache } from './ClientCache';
import { canonicalKey } from './canonicalKey';
import { AssumeRoleError, RegionMissingError, SessionError, isSessionError } from './errors';
import type { Logger } from './Logger';
import type {
  AssumeRoleMethod,
  AssumeRoleOptions,
  AssumeRoleParams,
  AwsClient,
  ClientEndpointConfig,
  ClientOptions,
  WallClock,
  GenericClientOptions,
  CredentialsRefreshEvent,
  RefreshOptions,
  RegionLookup,
  SessionOptions,
  SessionParameters,
} from './types';
import { normaliseService, resolveEndpoint, validateEndpoints } from './internal/endpointRules';
import { findRegion } from './internal/findRegion';
import type { MemoizedProvider } from './internal/memoizeCredentials';
import { memoizeCredentials } from './internal/memoizeCredentials';
import type { NormalisedParameters } from './internal/normalise';
import { normaliseParameters, normaliseRole } from './internal/normalise';
import { protectIdentity } from './internal/protectIdentity';
import type { SessionRequestHandler } from './internal/sharedRequestHandler';
import { nonDestroying, sharedRequestHandler } from './internal/sharedRequestHandler';
import { sharedConfigProviders } from './internal/sharedConfigProviders';
import { stripResponse } from './stripResponse';
import { throttlingPlugin } from './internal/throttlingPlugin';

/** AWS caps the session of a role assumed with role credentials (role chaining) at one hour. */
const CHAINED_MAX_SECONDS = 3600;

/** One layer of the stack: the base identity (hop 0) or an assumed role. */
interface Layer {
  key: string;
  hop: number;
  roleArn: string | undefined;
  provider: MemoizedProvider;
  /**
   * Who the layer is, from STS's answer to the role's assumption (its `AssumedRoleUser`): what
   * `GetCallerIdentity` would answer for these credentials, so that `accountId()` costs no call.
   */
  identity?: CallerIdentity;
}

/** The fields of STS `GetCallerIdentity` a session reads. */
type CallerIdentity = Pick<GetCallerIdentityCommandOutput, 'Account' | 'Arn' | 'UserId'>;

/**
 * The identity STS gives an assumed role's credentials, read from the assumption's
 * `AssumedRoleUser` (`arn:<partition>:sts::<account>:assumed-role/<role>/<session>` and
 * `<role id>:<session>`): the same `Account`, `Arn` and `UserId` as `GetCallerIdentity` answers
 * for them. `undefined` when the answer lacks it or has another shape (then the session asks STS).
 */
const assumedIdentity = (
  user: AssumeRoleCommandOutput['AssumedRoleUser'],
): CallerIdentity | undefined => {
  const arn = user?.Arn;
  const userId = user?.AssumedRoleId;
  if (arn === undefined || userId === undefined) return undefined;
  const account = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/[^/]+\/[^/]+$/.exec(arn)?.[1];
  return account === undefined ? undefined : { Account: account, Arn: arn, UserId: userId };
};

const DEFAULT_REFRESH: Required<RefreshOptions> = {
  marginMs: 300_000,
  marginFraction: 0.25,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
};

/**
 * Services whose endpoint is global in the `aws` partition: boto3 gives their clients the
 * partition's default region when it finds none, and so does a session (its STS region).
 */
const GLOBAL_SERVICES = new Set(['sts', 'iam', 'organizations', 'route53', 'cloudfront']);

const defaultLogger: Logger = {
  warn: (message) => process.emitWarning(message, 'CsSessionWarning'),
};

const errorCode = (error: unknown): string =>
  error instanceof Error ? error.name : 'UnknownError';
const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * The credentials of one identity and a stack of assumed roles on top of it. Every role
 * chain has one memoized, self-refreshing credentials provider shared by all clients of that
 * chain; STS is called in the session's region (`us-east-1` when it has none), at the endpoint
 * {@link Session.clientConfig} gives for `sts`. Its clients share one keep-alive HTTP handler (`requestHandler` option,
 * else one per process) and one reading of the settings SDK clients take from the environment and
 * config files (FIPS, dual-stack, app id, auth scheme preference, SigV4a region set), so that
 * building thousands of them stays cheap.
 *
 * @example
 * ```ts
 * const session = new Session({ aws_access_key_id: id, aws_secret_access_key: secret, region_name: 'eu-west-1' });
 * await session.assumeRole({ RoleArn: 'arn:aws:iam::222222222222:role/Audit', RoleSessionName: 'audit' });
 * const ec2 = session.client(EC2Client);
 * console.log(await session.accountId()); // 222222222222
 * session.revert();
 * ```
 * @public
 */
export class Session {
  readonly #params: NormalisedParameters;
  readonly #logger: Logger;
  readonly #clock: WallClock;
  readonly #refresh: Required<RefreshOptions>;
  readonly #stsConfig: Record<string, unknown>;
  readonly #requestHandler: SessionRequestHandler;
  readonly #clients: ClientCache;
  readonly #events = new EventEmitter();
  /** Every layer ever built, by chain key: one provider per distinct chain. */
  readonly #layers = new Map<string, Layer>();
  readonly #stack: Layer[];
  #identity: { layer: Layer; promise: Promise<CallerIdentity> } | undefined;

  /**
   * @param parameters - Credentials, region and endpoints, boto3 or SDK spelling. @defaultValue `{}` (the SDK's default chain)
   * @param options - Logger, client cache size, clock, refresh margins, STS client extras.
   * @throws {@link SessionParametersError} for unknown, conflicting or incomplete parameters.
   * @throws {@link EndpointConfigError} for an endpoint URL that is not http(s) or carries a password.
   */
  constructor(parameters?: SessionParameters, options: SessionOptions = {}) {
    this.#params = normaliseParameters(parameters);
    validateEndpoints(this.#params.serviceEndpoints, this.#params.endpointUrl);
    this.#logger = options.logger ?? defaultLogger;
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#refresh = { ...DEFAULT_REFRESH, ...options.refresh };
    this.#stsConfig = options.stsClientConfig ?? {};
    this.#requestHandler =
      options.requestHandler === undefined
        ? sharedRequestHandler()
        : nonDestroying(options.requestHandler);
    this.#clients = new ClientCache(options.clientCacheSize ?? 64);
    const base: Layer = {
      key: 'base',
      hop: 0,
      roleArn: undefined,
      provider: memoizeCredentials(this.#baseFetch(), this.#memoSettings('base identity')),
    };
    this.#layers.set(base.key, base);
    this.#stack = [base];
  }

  /** The session's region, `undefined` when none was given. */
  get region(): string | undefined {
    return this.#params.region;
  }

  /** The ARNs of the assumed roles, lowest first. */
  get roles(): readonly string[] {
    return this.#stack.flatMap((layer) => (layer.roleArn === undefined ? [] : [layer.roleArn]));
  }

  #memoSettings(label: string, onIdentity?: (identity: AwsCredentialIdentity) => void) {
    return { clock: this.#clock, refresh: this.#refresh, logger: this.#logger, label, onIdentity };
  }

  #baseFetch(): () => Promise<AwsCredentialIdentity> {
    const { credentials, accessKeyId, secretAccessKey, sessionToken, profile } = this.#params;
    let source: AwsCredentialIdentityProvider;
    if (typeof credentials === 'function') source = credentials;
    else if (credentials !== undefined) source = () => Promise.resolve({ ...credentials });
    else if (accessKeyId !== undefined && secretAccessKey !== undefined) {
      source = () =>
        Promise.resolve({
          accessKeyId,
          secretAccessKey,
          ...(sessionToken ? { sessionToken } : {}),
        });
    } else if (profile !== undefined) source = fromIni({ profile });
    else source = fromNodeProviderChain();
    return async () => protectIdentity(await source());
  }

  /** Region used for STS: the session's, else `us-east-1` (STS only). */
  get #stsRegion(): string {
    return this.#params.region ?? 'us-east-1';
  }

  #stsClient(credentials: AwsCredentialIdentityProvider): STSClient {
    const { region, endpoint } = this.clientConfig('sts', this.#stsRegion);
    const client = new STSClient({
      retryMode: 'standard',
      requestHandler: this.#requestHandler,
      ...(this.#stsConfig.profile === undefined ? sharedConfigProviders() : {}),
      ...this.#stsConfig,
      region,
      ...(endpoint !== undefined ? { endpoint } : {}),
      credentials,
    });
    client.middlewareStack.use(throttlingPlugin());
    return client;
  }

  /**
   * Sends `command` through an STS client built for this one call and dropped after it: a role is
   * assumed once an hour and the identity read once per layer, so keeping a client per layer would
   * hold one per account for the life of the process. The client is destroyed only when it owns
   * its HTTP handler (the SDK built one from a `requestHandler` configuration object in
   * `stsClientConfig`): the shared handler and a handler instance given by the caller stay open.
   */
  async #sendSts<Output>(
    credentials: AwsCredentialIdentityProvider,
    command: { input: object },
  ): Promise<Output> {
    const client = this.#stsClient(credentials);
    try {
      return (await client.send(command as GetCallerIdentityCommand)) as Output;
    } finally {
      const handler = this.#stsConfig.requestHandler as { handle?: unknown } | undefined;
      if (handler !== undefined && typeof handler.handle !== 'function') client.destroy();
    }
  }

  #top(): Layer {
    return this.#stack[this.#stack.length - 1]!;
  }

  #push(params: AssumeRoleParams, options: AssumeRoleOptions): Layer {
    const parent = this.#top();
    const hop = parent.hop + 1;
    const role = normaliseRole(params, options.method, options.tokenCode !== undefined);
    const key = canonicalKey({
      parent: parent.key,
      method: role.method,
      input: role.input,
      tokenCode: options.tokenCode,
    });
    let layer = this.#layers.get(key);
    if (layer === undefined) {
      const duration = role.input.DurationSeconds as number | undefined;
      if (
        hop >= 2 &&
        role.method === 'AssumeRole' &&
        duration !== undefined &&
        duration > CHAINED_MAX_SECONDS
      ) {
        this.#logger.warn?.(
          `DurationSeconds ${duration} of ${role.roleArn} (hop ${hop}) exceeds AWS's one-hour cap for chained roles; using ${CHAINED_MAX_SECONDS}`,
          { roleArn: role.roleArn, hop, requested: duration, used: CHAINED_MAX_SECONDS },
        );
        role.input.DurationSeconds = CHAINED_MAX_SECONDS;
      }
      const created: Layer = {
        key,
        hop,
        roleArn: role.roleArn,
        provider: undefined as unknown as MemoizedProvider,
      };
      created.provider = memoizeCredentials(
        () => this.#assume(created, parent, role.method, role.input, options.tokenCode),
        this.#memoSettings(role.roleArn, (identity) => {
          const event: CredentialsRefreshEvent = {
            roleArn: role.roleArn,
            hop,
            expiration: identity.expiration,
          };
          this.#logger.debug?.(`credentials of ${role.roleArn} (hop ${hop}) obtained`, {
            ...event,
          });
          this.#events.emit('credentials-refresh', event);
        }),
      );
      layer = created;
      this.#layers.set(key, layer);
    }
    this.#stack.push(layer);
    this.#identity = undefined;
    return layer;
  }

  async #assume(
    layer: Layer,
    parent: Layer,
    method: AssumeRoleMethod,
    input: Record<string, unknown>,
    tokenCode: (() => string | Promise<string>) | undefined,
  ): Promise<AwsCredentialIdentity> {
    const roleArn = layer.roleArn!;
    // Resolve the hop below explicitly: its own errors name its own role.
    if (method === 'AssumeRole') await parent.provider();
    const request = { ...input };
    if (tokenCode !== undefined) {
      try {
        request.TokenCode = await tokenCode();
      } catch (error) {
        throw new AssumeRoleError(
          roleArn,
          layer.hop,
          method,
          'TokenCodeFailed',
          `the tokenCode callback failed: ${errorMessage(error)}`,
          { cause: error },
        );
      }
    }
    const command =
      method === 'AssumeRole'
        ? new AssumeRoleCommand(request as never)
        : method === 'AssumeRoleWithWebIdentity'
          ? new AssumeRoleWithWebIdentityCommand(request as never)
          : new AssumeRoleWithSAMLCommand(request as never);
    let credentials;
    let user;
    try {
      ({ Credentials: credentials, AssumedRoleUser: user } =
        await this.#sendSts<AssumeRoleCommandOutput>(parent.provider, command));
    } catch (error) {
      if (isSessionError(error)) throw error;
      throw new AssumeRoleError(roleArn, layer.hop, method, errorCode(error), errorMessage(error), {
        cause: stripResponse(error),
      });
    }
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new AssumeRoleError(
        roleArn,
        layer.hop,
        method,
        'NoCredentials',
        'STS answered without credentials',
      );
    }
    layer.identity = assumedIdentity(user);
    return protectIdentity({
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    });
  }

  /**
   * Pushes a role on the stack, assumed with the credentials of the layer below (role chaining).
   * Not deferred: resolves once STS has answered, rejects with its error (and pops the role).
   * Deferred: calls nothing until the credentials are first needed.
   *
   * @param params - STS `AssumeRole` parameters (`RoleArn`, `RoleSessionName`, `ExternalId`, `DurationSeconds`, `SerialNumber`, ...); `sts_method` accepted.
   * @param options - `method` (@defaultValue `'AssumeRole'`), `deferred` (@defaultValue `false`), `tokenCode` (MFA callback, asked at every refresh).
   * @throws {@link AssumeRoleError} naming the hop's role when STS refuses.
   * @throws {@link SessionParametersError} for invalid parameters.
   * @example
   * ```ts
   * await session.assumeRole({ RoleArn, SerialNumber }, { tokenCode: () => prompt('MFA code') });
   * ```
   */
  async assumeRole(params: AssumeRoleParams, options: AssumeRoleOptions = {}): Promise<void> {
    const layer = this.#push(params, options);
    if (options.deferred === true) return;
    try {
      await layer.provider();
    } catch (error) {
      if (this.#top() === layer) this.#stack.pop();
      this.#identity = undefined;
      throw error;
    }
  }

  /**
   * Pops the top role (never the base identity).
   * @returns Whether a role was popped.
   */
  revert(): boolean {
    if (this.#stack.length <= 1) return false;
    this.#stack.pop();
    this.#identity = undefined;
    return true;
  }

  /**
   * Resolves once the active layer's credentials are available (assuming any deferred roles).
   * @throws {@link AssumeRoleError} or {@link CredentialsExpiredError} when they are not.
   */
  async ready(): Promise<void> {
    await this.#top().provider();
  }

  /**
   * The active layer's memoized credentials provider: the same object for the same chain, so
   * every client of a chain shares one refresh.
   */
  credentials(): AwsCredentialIdentityProvider {
    return this.#top().provider;
  }

  /**
   * The region and endpoint a client of `service` gets (as the original's
   * `client_kwargs(service=...)`). The endpoint rules, most specific first: the `ServiceEndpoints`
   * entry of the service for the region (a region map's entry for it, or a single URL), but a URL
   * whose host names another known region is skipped; then the service's `'*'` entry; then
   * `EndpointUrl`; then `AWS_ENDPOINT_URL_<SERVICE>`; then `AWS_ENDPOINT_URL` (both ignored when
   * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`); else the SDK's default endpoint. Service names
   * match whatever their case and punctuation (`cloudwatch-logs` = `CloudWatchLogs`).
   * @param service - Service name (`sts`, `ec2`, ...); without it only `EndpointUrl` and `AWS_ENDPOINT_URL` apply.
   * @param region - Region. @defaultValue the session's
   * @throws {@link EndpointConfigError} for an invalid `AWS_ENDPOINT_URL*` variable.
   */
  clientConfig(service?: string, region?: string): ClientEndpointConfig {
    const resolvedRegion = region ?? this.region;
    const endpoint = resolveEndpoint(service, resolvedRegion, {
      serviceEndpoints: this.#params.serviceEndpoints,
      endpointUrl: this.#params.endpointUrl,
      env: process.env,
    });
    return {
      ...(resolvedRegion !== undefined ? { region: resolvedRegion } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
    };
  }

  /**
   * Where the SDK looks for a client's region, in its order: the session's region, `AWS_REGION`,
   * the `region` of the session's profile (`profile_name`, else `AWS_PROFILE`, else `default`) in
   * the shared config file, then in the credentials file. What the session's clients get when
   * neither the session nor `client()` names a region; read at each call.
   * @returns The region (`undefined` when none was found), where it was found, and where it looked.
   * @example
   * ```ts
   * const { region, source } = new Session({ profile_name: 'dev' }).findRegion();
   * ```
   */
  findRegion(): RegionLookup {
    return findRegion(this.#params.region, this.#params.profile);
  }

  /**
   * The region of a client given none: the SDK's chain (`findRegion()`), else the STS region for
   * a global service (as boto3 gives the partition's default), else a region provider that fails
   * at the first call with a {@link RegionMissingError} naming what to set, never the SDK's bare
   * "Region is missing".
   */
  #defaultClientRegion(service: string): string | (() => Promise<string>) {
    const lookup = this.findRegion();
    if (lookup.region !== undefined) return lookup.region;
    if (GLOBAL_SERVICES.has(service)) return this.#stsRegion;
    return () => {
      const again = this.findRegion();
      return again.region !== undefined
        ? Promise.resolve(again.region)
        : Promise.reject(new RegionMissingError(service, again.looked));
    };
  }

  #resolveClient<T extends new (config: never) => AwsClient>(
    ClientClass: T,
    options: ClientOptions<T> | GenericClientOptions | undefined,
  ): { config: Record<string, unknown>; key: () => string } {
    const { service, region, ...rest } = (options ?? {}) as {
      service?: string;
      region?: string;
    } & Record<string, unknown>;
    const name = normaliseService(service ?? ClientClass.name.replace(/Client$/, ''));
    const chosen = region ?? this.region ?? this.#defaultClientRegion(name);
    const { region: r, endpoint } = this.clientConfig(
      name,
      typeof chosen === 'string' ? chosen : undefined,
    );
    const top = this.#top();
    const config = {
      retryMode: 'standard',
      requestHandler: this.#requestHandler,
      // A client with a profile of its own reads its own files.
      ...(rest.profile === undefined ? sharedConfigProviders() : {}),
      credentials: top.provider,
      region: r ?? chosen,
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...rest,
    };
    return {
      config,
      // Computed only for the cache (createClient needs no key).
      key: () => canonicalKey({ ClientClass, region: r, endpoint, layer: top.key, rest }),
    };
  }

  /**
   * A cached client of `ClientClass` for the active layer, with region, endpoint and credentials
   * applied; cached per (class, region, endpoint, layer, extra config) in a bounded LRU cache.
   * @param ClientClass - An SDK v3 client class (`EC2Client`, ...).
   * @param options - `region`, `service` (endpoint rule name when the class name does not say it), and any client config.
   * @example
   * ```ts
   * const ec2 = session.client(EC2Client, { region: 'eu-west-1' });
   * ```
   */
  client<T extends new (config: never) => AwsClient>(
    ClientClass: T,
    options?: ClientOptions<T> | GenericClientOptions,
  ): InstanceType<T> {
    const { key } = this.#resolveClient(ClientClass, options);
    return this.#clients.getOrCreate(key(), () =>
      this.createClient(ClientClass, options),
    ) as InstanceType<T>;
  }

  /**
   * A new, uncached client (the caller owns and destroys it), configured as by `client()`.
   * @param ClientClass - An SDK v3 client class.
   * @param options - As for `client()`.
   */
  createClient<T extends new (config: never) => AwsClient>(
    ClientClass: T,
    options?: ClientOptions<T> | GenericClientOptions,
  ): InstanceType<T> {
    const { config } = this.#resolveClient(ClientClass, options);
    const instance = new ClientClass(config as never) as InstanceType<T>;
    (instance as AwsClient).middlewareStack?.use(throttlingPlugin());
    return instance;
  }

  #callerIdentity(): Promise<CallerIdentity> {
    const layer = this.#top();
    if (this.#identity?.layer === layer) return this.#identity.promise;
    const promise = (async () => {
      await layer.provider();
      // An assumed role's identity came with its credentials: no call.
      if (layer.identity !== undefined) return layer.identity;
      try {
        return await this.#sendSts<GetCallerIdentityCommandOutput>(
          layer.provider,
          new GetCallerIdentityCommand({}),
        );
      } catch (error) {
        throw stripResponse(error);
      }
    })();
    this.#identity = { layer, promise };
    promise.catch(() => {
      if (this.#identity?.promise === promise) this.#identity = undefined;
    });
    return promise;
  }

  async #identityField(field: 'Account' | 'UserId' | 'Arn'): Promise<string> {
    const output = await this.#callerIdentity();
    const value = output[field];
    if (value === undefined) {
      throw new SessionError(
        `STS GetCallerIdentity answered without ${field}; the endpoint at ${this.clientConfig('sts', this.#stsRegion).endpoint ?? 'the default STS endpoint'} is not behaving like STS`,
      );
    }
    return value;
  }

  /** The active layer's access key id (no STS call). */
  async accessKey(): Promise<string> {
    return (await this.#top().provider()).accessKeyId;
  }

  /**
   * The active identity's account id (STS `GetCallerIdentity`, memoized until the next assume or
   * revert; concurrent first calls share one call; throttling retried with backoff). For an
   * assumed role it is read from STS's answer to the assumption (its `AssumedRoleUser`, what
   * `GetCallerIdentity` answers for those credentials): no call beyond the assumption.
   * @throws {@link AssumeRoleError} when a deferred role cannot be assumed.
   */
  accountId(): Promise<string> {
    return this.#identityField('Account');
  }

  /** The active identity's user id (`AIDA...` or `AROA...:session`), memoized as `accountId()`. */
  userId(): Promise<string> {
    return this.#identityField('UserId');
  }

  /** The active identity's ARN, memoized as `accountId()`. */
  arn(): Promise<string> {
    return this.#identityField('Arn');
  }

  /**
   * Listens to `credentials-refresh`: a role's credentials were obtained or refreshed.
   * @param event - `'credentials-refresh'`.
   * @param listener - Gets `{ roleArn, hop, expiration }`.
   */
  on(event: 'credentials-refresh', listener: (event: CredentialsRefreshEvent) => void): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Removes a listener added with `on()`. */
  off(event: 'credentials-refresh', listener: (event: CredentialsRefreshEvent) => void): this {
    this.#events.off(event, listener);
    return this;
  }

  /**
   * Destroys every cached client (closing the sockets of those that own their HTTP handler). The
   * session keeps no STS client: each STS call builds one and drops it.
   */
  destroy(): void {
    this.#clients.clear();
  }

  /** A description without any secret. */
  toJSON(): { region: string | undefined; roles: readonly string[] } {
    return { region: this.region, roles: this.roles };
  }

  /** A description without any secret. */
  toString(): string {
    return `Session(region=${this.region ?? 'none'}, roles=[${this.roles.join(', ')}])`;
  }

  /** What `util.inspect` and `console.log` show: the same description as `toJSON()`, without any secret. */
  [inspect.custom](): string {
    return `Session ${inspect(this.toJSON())}`;
  }
}

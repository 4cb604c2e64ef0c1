import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpHandlerOptions,
  HttpRequest,
  HttpResponse,
  RequestHandler,
} from '@smithy/types';
import type { Logger } from './Logger';

/**
 * Custom endpoints per service: a service name (`sts`, `ec2`, `sqs`, ...) maps to one URL or to a
 * map from region name (or `'*'`, every region) to URL. The most specific entry wins: the region's,
 * then `'*'`, then `EndpointUrl` and the `AWS_ENDPOINT_URL*` variables (the whole order is in
 * `Session.clientConfig`'s documentation).
 *
 * @example
 * ```ts
 * const endpoints: ServiceEndpoints = { ec2: 'https://vpce-1.ec2.us-east-1.vpce.amazonaws.com', sqs: { 'us-west-2': 'https://...' } };
 * ```
 * @public
 */
export type ServiceEndpoints = Record<string, string | Record<string, string>>;

/**
 * The parameters of a {@link Session}: the original's boto3-style names or the SDK v3's. With no
 * credentials, the SDK's default provider chain applies.
 *
 * @public
 */
export interface SessionParameters {
  /** boto3 style access key id. */
  aws_access_key_id?: string;
  /** boto3 style secret access key (never shown anywhere). */
  aws_secret_access_key?: string;
  /** boto3 style session token (never shown anywhere). */
  aws_session_token?: string;
  /** boto3 style region. */
  region_name?: string;
  /** boto3 style named profile of the shared config files. */
  profile_name?: string;
  /** SDK style access key id. */
  accessKeyId?: string;
  /** SDK style secret access key. */
  secretAccessKey?: string;
  /** SDK style session token. */
  sessionToken?: string;
  /** SDK style region. */
  region?: string;
  /** SDK style named profile. */
  profile?: string;
  /** An identity or a provider of identities (takes precedence over everything else). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Custom endpoints per service and region (which applies: `Session.clientConfig`). */
  ServiceEndpoints?: ServiceEndpoints;
  /** One endpoint for every service and region (a local emulator, a proxy). */
  EndpointUrl?: string;
}

/**
 * The STS operation that assumes a role.
 *
 * @public
 */
export type AssumeRoleMethod = 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML';

/**
 * The parameters of one role of a chain: those of STS `AssumeRole` (or of the web identity and
 * SAML variants), plus the original's `sts_method` spelling.
 *
 * @public
 */
export interface AssumeRoleParams {
  RoleArn: string;
  /** @defaultValue `'cs-aws'` */
  RoleSessionName?: string;
  ExternalId?: string;
  /** Clamped to 3600 for chained roles (hop 2 and above), with a warning. */
  DurationSeconds?: number;
  /** MFA device; give a `TokenCode` or, better, a `tokenCode` callback in the options. */
  SerialNumber?: string;
  TokenCode?: string;
  Policy?: string;
  PolicyArns?: { arn?: string }[];
  Tags?: { Key: string | undefined; Value: string | undefined }[];
  TransitiveTagKeys?: string[];
  SourceIdentity?: string;
  /** For `AssumeRoleWithWebIdentity`. */
  WebIdentityToken?: string;
  ProviderId?: string;
  /** For `AssumeRoleWithSAML`. */
  PrincipalArn?: string;
  SAMLAssertion?: string;
  /** The original's spelling of the method: `assume_role`, `assume_role_with_web_identity`, `assume_role_with_saml`. */
  sts_method?: string;
  /** The method, SDK spelling (same as the `method` option). */
  method?: AssumeRoleMethod;
}

/**
 * How a role is assumed.
 *
 * @public
 */
export interface AssumeRoleOptions {
  /** @defaultValue `'AssumeRole'` (or what `params.sts_method` says) */
  method?: AssumeRoleMethod;
  /** Call nothing until the credentials are first needed. @defaultValue `false` */
  deferred?: boolean;
  /** MFA: asked for a fresh code at every (re)assumption of this role. */
  tokenCode?: () => string | Promise<string>;
}

/**
 * What {@link sessionFactory} builds a session from: the original's configuration sections.
 *
 * @public
 */
export interface SessionSpec {
  SessionParameters?: SessionParameters;
  /** One role to assume (deferred) above the base identity. */
  AssumeRole?: AssumeRoleParams;
  /** A chain of roles to assume (deferred), in order, above `AssumeRole` if both are given. */
  AssumeRoles?: AssumeRoleParams[];
}

/**
 * A wall clock: the time source a {@link Session} compares credential expirations with. Not
 * `@cs/ratelimit`'s `Clock`, which is monotonic and sleeps. The default reads `Date.now()` lazily,
 * so that fake timers apply.
 *
 * @public
 */
export interface WallClock {
  /** Wall-clock milliseconds since the epoch (credential expirations are wall-clock times). */
  now(): number;
}

/**
 * The former name of {@link WallClock}.
 *
 * @deprecated Use {@link WallClock}: `Clock` is also the name of `@cs/ratelimit`'s monotonic clock.
 * @public
 */
export type Clock = WallClock;

/**
 * When and how credentials of assumed roles are refreshed.
 *
 * @public
 */
export interface RefreshOptions {
  /** Refresh at most this long before expiry. @defaultValue `300_000` (5 minutes) */
  marginMs?: number;
  /** ...and at most this fraction of the credentials' lifetime before expiry. @defaultValue `0.25` */
  marginFraction?: number;
  /** First delay after a failed refresh, doubled at each failure. @defaultValue `500` */
  backoffBaseMs?: number;
  /** Longest delay between failed refreshes. @defaultValue `30_000` */
  backoffMaxMs?: number;
}

/**
 * Options of a {@link Session} (not part of a factory's cache key).
 *
 * @public
 */
export interface SessionOptions {
  /** Where warnings and debug messages go. @defaultValue warnings through `process.emitWarning` */
  logger?: Logger;
  /** How many cached clients `client()` keeps (least recently used destroyed). @defaultValue `64` */
  clientCacheSize?: number;
  /** Time seam. @defaultValue `{ now: () => Date.now() }` */
  clock?: WallClock;
  /** Refresh margins and backoff. */
  refresh?: RefreshOptions;
  /** Extra configuration of the STS clients the session makes (`maxAttempts`, `requestHandler`, ...). */
  stsClientConfig?: Record<string, unknown>;
  /**
   * The HTTP handler of every client the session makes (its own STS clients included), unless a
   * client's options give one. Clients never destroy it: its owner does.
   * @defaultValue one keep-alive `NodeHttpHandler` shared by all sessions of the process (256
   * sockets per host), so that connections are reused across clients, accounts and regions
   */
  requestHandler?: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
}

/**
 * Region and endpoint a client is built with, as `clientConfig()` resolves them.
 *
 * @public
 */
export interface ClientEndpointConfig {
  region?: string;
  endpoint?: string;
}

/**
 * Where a region was looked for, in the SDK's order, and what was found (`Session.findRegion()`).
 *
 * @example
 * ```ts
 * const { region, looked } = session.findRegion();
 * if (region === undefined) console.error(`no region: looked at ${looked.join(', ')}`);
 * ```
 * @public
 */
export interface RegionLookup {
  /** The region found, `undefined` when none was. */
  readonly region: string | undefined;
  /** Where it was found (`AWS_REGION`, `region of profile "dev" in /home/me/.aws/config`, ...). */
  readonly source: string | undefined;
  /** Every place looked at, in order, up to the one that gave the region. */
  readonly looked: readonly string[];
}

/**
 * What the session needs of an SDK v3 client.
 *
 * @public
 */
export interface AwsClient {
  destroy(): void;
  middlewareStack?: { use(plugin: unknown): void };
}

/**
 * An SDK v3 client class (`STSClient`, `EC2Client`, ...), taken as a constructor (never depended on).
 *
 * @public
 */
export type ClientClass<C extends AwsClient = AwsClient> = new (config: never) => C;

/**
 * The configuration of a client class (its constructor's argument); a plain record for a class
 * only known as {@link ClientClass} (generic code).
 *
 * @public
 */
export type ClientConfigOf<T> = T extends new (...args: infer A) => AwsClient
  ? [NonNullable<A[0]>] extends [never]
    ? Record<string, unknown>
    : NonNullable<A[0]>
  : Record<string, unknown>;

/**
 * Extra options of `client()` / `createClient()`: the class's own configuration, plus `service`
 * (the name `ServiceEndpoints` and `AWS_ENDPOINT_URL_<SERVICE>` use, when the class name does
 * not say it, e.g. `logs` for `CloudWatchLogsClient`).
 *
 * @public
 */
export type ClientOptions<T> = Partial<ClientConfigOf<T>> & { service?: string; region?: string };

/**
 * The options `client()` / `createClient()` also take from generic code, where the class is only
 * known as {@link ClientClass} and its configuration type cannot be resolved.
 *
 * @public
 */
export interface GenericClientOptions {
  service?: string;
  region?: string;
  [option: string]: unknown;
}

/**
 * The payload of the `credentials-refresh` event: a role's credentials were (re)obtained.
 *
 * @public
 */
export interface CredentialsRefreshEvent {
  roleArn: string;
  hop: number;
  expiration: Date | undefined;
}

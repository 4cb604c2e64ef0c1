/** Which requests an injection applies to; an absent field matches everything. @public */
export interface InjectionScope {
  /** Account id of the caller's credentials. */
  account?: string;
  /** Region of the request's SigV4 scope. */
  region?: string;
  service?: LocalAwsService;
  /** Operation name, such as `GetCallerIdentity`. */
  operation?: string;
}

/** The services the server speaks. @public */
export type LocalAwsService = 'sts' | 'iam' | 'ec2' | 'organizations' | 's3';

/** Delays responses. @public */
export interface LatencyRule extends InjectionScope {
  /** Delay in milliseconds. */
  ms: number;
  /** Extra random delay, uniform in `[0, jitterMs)`. @defaultValue 0 */
  jitterMs?: number;
}

/**
 * A server-side rate limit: a token bucket per (account, region, service, operation), answered
 * with AWS's throttling error of the service (`Throttling`, `RequestLimitExceeded`,
 * `TooManyRequestsException`).
 * @public
 */
export interface RateLimitRule extends InjectionScope {
  /** Sustained requests per second. */
  requestsPerSecond: number;
  /** Bucket size. @defaultValue `requestsPerSecond` (at least 1) */
  burst?: number;
}

/** Answers with a server error or drops the connection. @public */
export interface FaultRule extends InjectionScope {
  /** `500`, `503`, or `'drop'` (headers and half a body written, then the socket destroyed). */
  fault: 500 | 503 | 'drop';
  /** Chance that a matching request fails. @defaultValue 1 */
  probability?: number;
  /** Fail only the next `count` matching requests. @defaultValue unlimited */
  count?: number;
}

/**
 * Injection of behaviour, changeable at run time; each method returns a function that removes the
 * rule. Rules apply to requests whose credentials were accepted; latency delays any answer.
 * @example
 * ```ts
 * const stop = aws.inject.rateLimit({ requestsPerSecond: 5, service: 'ec2' });
 * aws.inject.fault({ fault: 'drop', count: 1, account: '222222222222' });
 * aws.inject.latency({ ms: 50, jitterMs: 20, region: 'ap-southeast-2' });
 * stop(); // or aws.inject.clear()
 * ```
 * @public
 */
export interface LocalAwsInjection {
  latency(rule: LatencyRule): () => void;
  rateLimit(rule: RateLimitRule): () => void;
  fault(rule: FaultRule): () => void;
  /** Removes every rule. */
  clear(): void;
}

/**
 * Changes to the model at run time, for fault tests.
 * @example
 * ```ts
 * aws.model.setRoleTrust('222222222222', 'Admin', []); // AssumeRole now answers AccessDenied
 * aws.model.setRegionEnabled('222222222222', 'eu-west-1', false); // AuthFailure / InvalidClientTokenId there
 * aws.model.expireSessions(); // every issued session answers ExpiredToken
 * ```
 * @public
 */
export interface LocalAwsModelControl {
  /** Makes an access key (long-term or session) unknown: its requests answer `InvalidClientTokenId`. */
  revokeAccessKey(accessKeyId: string): void;
  /** Replaces a role's trust list (`[]` trusts nobody). @throws LocalAwsError for an unknown account or role. */
  setRoleTrust(accountId: string, roleName: string, trust: string[]): void;
  /** Enables or disables a region for an account. @throws LocalAwsError for an unknown account. */
  setRegionEnabled(accountId: string, region: string, enabled: boolean): void;
  /** Makes every session issued so far expire now. */
  expireSessions(): void;
}

/** One received request. @public */
export interface RequestLogEntry {
  /** `performance.now()` at arrival, in milliseconds. */
  time: number;
  service: string;
  operation: string;
  /** Caller's account, when the credentials were known. */
  account: string | undefined;
  region: string;
  accessKeyId: string | undefined;
  status: number;
  /** Error code, when it failed. */
  code: string | undefined;
}

/**
 * Counters of everything received since start or the last reset.
 * @example
 * ```ts
 * expect(aws.stats.byOperation['sts:AssumeRole']).toBe(1);
 * expect(aws.maxRequestsInWindow(1000, { account: '222222222222' })).toBeLessThanOrEqual(5);
 * ```
 * @public
 */
export interface LocalAwsStats {
  requests: number;
  /** Keyed `service:Operation`, such as `sts:GetCallerIdentity`. */
  byOperation: Record<string, number>;
  byAccount: Record<string, number>;
  byRegion: Record<string, number>;
  byAccessKey: Record<string, number>;
  /** Error answers by code. */
  errors: Record<string, number>;
  /** Answers with an injected throttling error. */
  throttled: number;
  /** Requests answered `SignatureDoesNotMatch`. */
  signatureFailures: number;
  /** Requests rejected before the operation: unknown key, bad signature, expired token, disabled region. */
  authFailures: number;
  /** Injected faults (5xx and dropped connections). */
  faults: number;
  /** TCP connections accepted (a client that reuses its connections opens few). */
  connections: number;
  /** The most recent requests, oldest first (bounded by `logLimit`). */
  log: RequestLogEntry[];
}

/** What the log filter of {@link LocalAws.maxRequestsInWindow} can match. @public */
export interface RequestLogFilter {
  service?: string;
  operation?: string;
  account?: string;
  region?: string;
  accessKeyId?: string;
}

/**
 * A running local AWS endpoint, as {@link startLocalAws} resolves it.
 * @example
 * ```ts
 * const aws = await startLocalAws('fixture.yaml');
 * const ec2 = new EC2Client({ endpoint: aws.url, region: 'eu-west-1', credentials });
 * await ec2.send(new DescribeRegionsCommand({}));
 * await aws.close();
 * ```
 * @public
 */
export interface LocalAws {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` to every SDK client, any service, any region. */
  readonly url: string;
  readonly port: number;
  /** A snapshot of the counters. */
  readonly stats: LocalAwsStats;
  /** Zeroes the counters and empties the log. */
  resetStats(): void;
  /** The largest number of logged requests matching `filter` inside any window of `windowMs`. */
  maxRequestsInWindow(windowMs: number, filter?: RequestLogFilter): number;
  readonly inject: LocalAwsInjection;
  readonly model: LocalAwsModelControl;
  /** Stops the server: closes every connection and clears every timer. */
  close(): Promise<void>;
}

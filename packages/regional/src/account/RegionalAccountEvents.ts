/**
 * The events a {@link RegionalAccount} emits, and their payloads. Listeners run synchronously on
 * the request's path: keep them short (an exception in a listener is logged, never thrown into
 * the request).
 */

/** Where a request goes. @public */
export interface RequestTarget {
  /** The region of the RegionalAccount. */
  readonly region: string;
  /** The SDK service id (`sts`, `ec2`, ...). */
  readonly service: string;
  /** The operation (`GetCallerIdentity`, ...). */
  readonly operation: string;
}

/** One HTTP attempt is about to be sent (every attempt, retries included). @public */
export interface RequestEvent extends RequestTarget {
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
}

/** The SDK is retrying a request (emitted before the retry waits for its rate-limit slots). @public */
export interface RetryEvent extends RequestTarget {
  /** The attempt about to be made (2 or more). */
  readonly attempt: number;
}

/** AWS answered with a throttling error (the SDK's list: `Throttling`, `ThrottlingException`, HTTP 429, ...). @public */
export interface ThrottledEvent extends RequestTarget {
  readonly attempt: number;
  /** The AWS error code. */
  readonly code: string;
}

/** A request waited for rate-limit slots before it was sent. @public */
export interface RateLimitWaitEvent extends RequestTarget {
  readonly attempt: number;
  /** Milliseconds spent waiting for all the limits that apply. */
  readonly waitedMs: number;
}

/** Adaptive mode changed the effective rate. @public */
export interface AdaptiveRateEvent {
  readonly region: string;
  /** `decrease` after a throttling answer, `increase` for an additive step, `recovered` at the configured limit. */
  readonly reason: 'decrease' | 'increase' | 'recovered';
  /** The effective requests per `interval`; `undefined` once the configured limit applies again. */
  readonly maxCount: number | undefined;
  /** The window of the rate, in milliseconds. */
  readonly interval: number;
}

/** The session refreshed the credentials of an assumed role (forwarded from the session). @public */
export interface CredentialsRefreshEvent {
  /** The role whose credentials were refreshed. */
  readonly roleArn: string;
  /** The position of the role in the chain (0: the first role above the base identity). */
  readonly hop?: number;
  /** When the new credentials expire. */
  readonly expiration: Date | undefined;
}

/**
 * The events of a RegionalAccount, by name, with their payloads.
 *
 * @example
 * ```ts
 * ra.on('throttled', ({ service, operation, code }) => console.warn(`${service}:${operation} ${code}`));
 * ra.on('rate-limit-wait', ({ waitedMs }) => histogram.record(waitedMs));
 * ```
 * @public
 */
export interface RegionalAccountEventMap {
  request: RequestEvent;
  retry: RetryEvent;
  throttled: ThrottledEvent;
  'rate-limit-wait': RateLimitWaitEvent;
  adaptive: AdaptiveRateEvent;
  'credentials-refresh': CredentialsRefreshEvent;
}

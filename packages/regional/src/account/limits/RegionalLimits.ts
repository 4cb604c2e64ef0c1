/**
 * The limits of one RegionalAccount, resolved once, and the one object its rate-limit middleware
 * asks at every HTTP attempt (the way smithy's middleware takes resolved configuration).
 *
 * The path of a limit, from configuration to the wire:
 * 1. `regionalAccountFactory` (`../regionalAccountFactory.ts`) turns the `RateLimit` and
 *    `RateLimitOperationSpec` specs into `RateLimitProperties` (`rateLimitOf`: in memory, or
 *    through `createRateLimit` for a spec that names a store).
 * 2. `new RegionalAccount(...)` (`../RegionalAccount.ts`) builds its `RegionalLimits` here: the
 *    region's limit, the operation limits by normalized key, the adaptive limiter
 *    (`AdaptiveLimiter.ts`) when adaptive mode is on, the clock and the account's event sink.
 * 3. Every client the RegionalAccount hands out gets `rateLimitPlugin(limits, service)`
 *    (`rateLimitPlugin.ts`): its middleware counts the attempts of a request and calls
 *    {@link RegionalLimits.take} before the request is signed, then
 *    {@link RegionalLimits.succeeded} or {@link RegionalLimits.failed} with AWS's answer.
 * 4. `take` acquires, in order, the operation limit, the service limit, the adaptive limiter and
 *    the region's limit, each `RateLimitProperties.acquire` asking its store to `take` a slot
 *    (`@cs/ratelimit`). A slot is used fresh or not at all: when a later limit made the request
 *    wait, or the process stalled, an earlier slot older than 1 % of its interval is spent unused
 *    and taken again, so that every limit's guarantee holds on the wire, not only where its slot
 *    was granted.
 */

import { isThrottlingError } from '@smithy/core/retry';
import { RateLimitProperties, rateLimitPropertiesFactory } from '@cs/ratelimit';
import type { Clock, RateLimitSpec } from '@cs/ratelimit';
import { awsErrorCode } from '../awsErrorHints';
import { operationKey } from '../operationName';
import type { RegionalAccountEventMap, RequestEvent } from '../RegionalAccountEvents';
import { AdaptiveLimiter } from './AdaptiveLimiter';
import type { AdaptiveOptions } from './AdaptiveOptions';

/** How many times the slots of one attempt are taken again before it is sent anyway. */
const MAX_RETAKES = 3;

/**
 * How long a slot stays fresh once granted: 1 % of its limit's interval, at least 2 ms and at most
 * 1 s (the time a Redis store of `@cs/ratelimit-redis` gives a caller to use its grant). A slot
 * older than that when the request leaves may put the request in a window the limit has since
 * granted in full to others.
 */
const freshFor = (limit: RateLimitProperties): number =>
  limit.unlimited ? Number.POSITIVE_INFINITY : Math.min(Math.max(2, limit.interval / 100), 1000);

/** Where the limits report what happens (the RegionalAccount's events and logs). @internal */
export type EmitEvent = <K extends keyof RegionalAccountEventMap>(
  event: K,
  payload: RegionalAccountEventMap[K],
) => void;

/** What {@link RegionalLimits} is built from (resolved by the RegionalAccount). @internal */
export interface RegionalLimitsOptions {
  /** The region, for the events. */
  readonly region: string;
  /** Operation- and service-scoped limits by key as configured (`iam:ListRoles`, `organizations`). */
  readonly operationLimits?:
    Readonly<Record<string, RateLimitSpec | RateLimitProperties>> | undefined;
  /** Adaptive mode: `true` for the defaults. */
  readonly adaptive?: boolean | AdaptiveOptions | undefined;
  /** Measures waits and drives the adaptive limiter. */
  readonly clock: Clock;
  /** Receives the `retry`, `rate-limit-wait`, `request`, `throttled` and `adaptive` events. */
  readonly emit: EmitEvent;
}

/** One HTTP attempt that asks for its slots. @internal */
export interface LimitedAttempt {
  /** The SDK service id of the client (`sts`, `cloudwatch-logs`). */
  readonly service: string;
  /** The operation (`GetCallerIdentity`). */
  readonly operation: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** The caller's abort signal: cancels the wait for slots. */
  readonly signal: AbortSignal | undefined;
}

/** An attempt that got its slots, to report AWS's answer with. @internal */
export interface Admission {
  /** Where the attempt goes, and which one it is (the payload of its events). */
  readonly request: RequestEvent;
  /** When the adaptive limiter granted its slot (`0` when adaptive mode is off). */
  readonly sentAt: number;
}

const isRateLimit = (value: unknown): value is RateLimitProperties =>
  value instanceof RateLimitProperties ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as { acquire?: unknown }).acquire === 'function' &&
    typeof (value as { tryAcquire?: unknown }).tryAcquire === 'function');

/**
 * `value` when it is a `RateLimitProperties` (or one from another copy of `@cs/ratelimit`).
 *
 * @throws TypeError otherwise
 * @internal
 */
export const checkRateLimit = (value: unknown): RateLimitProperties => {
  if (!isRateLimit(value)) {
    throw new TypeError(
      'RegionalAccount: ratelimit must be a RateLimitProperties (from @cs/ratelimit), ' +
        `got ${value === null ? 'null' : typeof value}`,
    );
  }
  return value;
};

const toRateLimit = (value: RateLimitSpec | RateLimitProperties): RateLimitProperties =>
  isRateLimit(value) ? value : rateLimitPropertiesFactory(value);

/** `Iam:List_Roles` → `iam:listroles`; `Organizations` → `organizations`. */
const limitKey = (key: string): string => {
  const [service = '', ...rest] = key.split(':');
  const id = service.trim().toLowerCase();
  return rest.length === 0 ? id : `${id}:${operationKey(rest.join(':'))}`;
};

/** Whether an error is an answer from AWS with an HTTP status below 500 (a 4xx, not a fault). */
const answeredBelow500 = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof status === 'number' && status < 500;
};

/**
 * The resolved limits of one RegionalAccount: the region's limit (readable, replaceable and
 * tunable at run time), the operation- and service-scoped limits, the adaptive limiter, the clock
 * and where events go. Its rate-limit middleware asks it which slots an attempt takes
 * ({@link RegionalLimits.take}) and tells it AWS's answer, which adaptive mode learns from.
 *
 * @internal
 */
export class RegionalLimits {
  /** The region of the RegionalAccount. */
  readonly region: string;
  #ratelimit: RateLimitProperties;
  readonly #operationLimits = new Map<string, RateLimitProperties>();
  readonly #adaptive: AdaptiveLimiter | undefined;
  readonly #clock: Clock;
  readonly #emit: EmitEvent;

  /**
   * @param ratelimit - the region's limit (every attempt takes a slot)
   * @param options - region, operation limits, adaptive mode, clock, event sink
   * @throws TypeError when `ratelimit` is not a `RateLimitProperties`
   * @throws `RateLimitConfigError` (from `@cs/ratelimit`) for an invalid operation limit spec
   * @throws RangeError for an invalid adaptive setting
   */
  constructor(ratelimit: RateLimitProperties, options: RegionalLimitsOptions) {
    this.#ratelimit = checkRateLimit(ratelimit);
    this.region = options.region;
    this.#clock = options.clock;
    this.#emit = options.emit;
    for (const [key, value] of Object.entries(options.operationLimits ?? {})) {
      this.#operationLimits.set(limitKey(key), toRateLimit(value));
    }
    const adaptive = options.adaptive;
    this.#adaptive =
      adaptive === undefined || adaptive === false
        ? undefined
        : new AdaptiveLimiter(
            () => this.#ratelimit,
            adaptive === true ? {} : adaptive,
            this.#clock,
            (change) => this.#emit('adaptive', { region: this.region, ...change }),
          );
  }

  /** The region's limit, read at every attempt: a replaced or re-tuned limit applies to the next. */
  get ratelimit(): RateLimitProperties {
    return this.#ratelimit;
  }
  /** @throws TypeError when the value is not a `RateLimitProperties` */
  set ratelimit(value: RateLimitProperties) {
    this.#ratelimit = checkRateLimit(value);
  }

  /** The operation- and service-scoped limits, by normalized key (`organizations`, `iam:listroles`). */
  get operationLimits(): ReadonlyMap<string, RateLimitProperties> {
    return this.#operationLimits;
  }

  /** In adaptive mode, the reduced rate after throttling; `undefined` when not reduced or off. */
  get adaptiveMaxCount(): number | undefined {
    const rate = this.#adaptive?.rate;
    return rate === undefined ? undefined : Math.floor(rate);
  }

  /**
   * The operation- and service-scoped limits of a request, narrowest first (one limit configured
   * for both keys counts once).
   */
  limitsFor(service: string, operation: string): RateLimitProperties[] {
    if (this.#operationLimits.size === 0) return [];
    const limits: RateLimitProperties[] = [];
    const byOperation = this.#operationLimits.get(`${service}:${operationKey(operation)}`);
    if (byOperation !== undefined) limits.push(byOperation);
    const byService = this.#operationLimits.get(service);
    if (byService !== undefined && byService !== byOperation) limits.push(byService);
    return limits;
  }

  /**
   * Takes the slots of one attempt, from the narrowest limit to the region's, which is taken last,
   * just before the request is signed and sent, so that the regional guarantee holds on the wire.
   * A slot of a sliding window cannot be handed back: one already taken is spent even when a later
   * limit makes the attempt wait (or, non-blocking, fail). Emits `retry` (before waiting, from the
   * second attempt on), `rate-limit-wait` (when it waited 1 ms or more) and `request`.
   *
   * @returns the admission to report AWS's answer with
   * @throws `RateLimitExceeded` when a non-blocking limit has no free slot, or the signal's reason
   */
  async take({ service, operation, attempt, signal }: LimitedAttempt): Promise<Admission> {
    const request: RequestEvent = { region: this.region, service, operation, attempt };
    if (attempt > 1) this.#emit('retry', { ...request });
    const start = this.#clock.now();
    const sentAt = await this.#takeFreshSlots(this.limitsFor(service, operation), signal);
    const waitedMs = this.#clock.now() - start;
    if (waitedMs >= 1) this.#emit('rate-limit-wait', { ...request, waitedMs });
    this.#emit('request', { ...request });
    return { request, sentAt };
  }

  /**
   * Takes a slot of every limit of one attempt, narrowest first and the region's own last, so
   * that all of them are fresh when the request leaves: a slot granted before a later limit made
   * the request wait (or before this process stalled: a busy event loop, a slow round trip to a
   * shared store) is spent unused and taken again, at most {@link MAX_RETAKES} times, after which
   * the request goes as it is. Answers the adaptive limiter's send time.
   */
  async #takeFreshSlots(
    operationLimits: readonly RateLimitProperties[],
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const taken = new Map<RateLimitProperties, number>();
    let sentAt = 0;
    for (let round = 0; ; round++) {
      for (const limit of operationLimits) {
        if (taken.has(limit)) continue;
        await limit.acquire({ signal });
        taken.set(limit, this.#clock.now());
      }
      if (round === 0 && this.#adaptive !== undefined)
        sentAt = await this.#adaptive.acquire(signal);
      // The current limit, read now: a replaced or re-tuned limit applies to this attempt.
      const own = this.#ratelimit;
      if (!taken.has(own)) {
        await own.acquire({ signal });
        taken.set(own, this.#clock.now());
      }
      if (round === MAX_RETAKES) return sentAt;
      const now = this.#clock.now();
      let fresh = true;
      for (const [limit, at] of taken) {
        if (now - at > freshFor(limit)) {
          taken.delete(limit);
          fresh = false;
        }
      }
      if (fresh) return sentAt;
    }
  }

  /** AWS answered an admitted attempt with success: adaptive mode counts it as accepted. */
  succeeded(): void {
    this.#adaptive?.accepted();
  }

  /**
   * An admitted attempt failed with `error`: a throttling answer emits `throttled` and lowers the
   * adaptive rate; another answer of AWS below 500 (access denied, not found...) was let in by its
   * limit, so adaptive mode counts it as accepted; a fault or a network error counts for nothing.
   */
  failed(admission: Admission, error: unknown): void {
    if (
      error instanceof Error &&
      isThrottlingError(error as Parameters<typeof isThrottlingError>[0])
    ) {
      this.#emit('throttled', { ...admission.request, code: awsErrorCode(error) });
      this.#adaptive?.throttled(admission.sentAt);
    } else if (answeredBelow500(error)) {
      this.#adaptive?.accepted();
    }
  }
}

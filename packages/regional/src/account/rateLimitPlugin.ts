/**
 * The rate-limit middleware of a RegionalAccount's clients. It sits in the `finalizeRequest` step,
 * inside the SDK's retry middleware and before signing, so that every HTTP attempt passes it: single calls, each page
 * of a paginator, each retry. It reads the RegionalAccount's limits at each attempt, so a replaced
 * or re-tuned limit applies to the next attempt.
 *
 * Several limits may apply to one request (operation, service, adaptive, regional). They are taken
 * one after the other, from the narrowest to the RegionalAccount's own, which is taken last, just
 * before the request is signed and sent: so the regional guarantee holds on the wire. A slot of a
 * sliding window cannot be handed back, so a slot already taken is spent even when a later limit
 * makes the request wait (or, non-blocking, fail). A slot is used fresh or not at all: when a later
 * limit made the request wait, or the process stalled, an earlier slot is older than 1 % of its
 * interval when the request would leave, and is taken again (the old one spent unused), so that
 * every limit's guarantee holds on the wire, not only where its slot was granted.
 */

import { isThrottlingError } from '@smithy/core/retry';
import type {
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
  RelativeMiddlewareOptions,
} from '@smithy/types';
import type { RateLimitProperties } from '@cs/ratelimit';
import { awsErrorCode } from './awsErrorHints';
import type { AdaptiveLimiter } from './AdaptiveLimiter';
import type { RegionalAccountEventMap } from './RegionalAccountEvents';

/** What the middleware needs from its RegionalAccount. @internal */
export interface RateLimitHost {
  readonly regionName: string;
  /** The RegionalAccount's current limit (read at every attempt). */
  currentRateLimit(): RateLimitProperties;
  /** The operation- and service-scoped limits of a request, narrowest first. */
  operationLimits(service: string, operation: string): readonly RateLimitProperties[];
  /** The adaptive limiter, when adaptive mode is on. */
  readonly adaptive: AdaptiveLimiter | undefined;
  now(): number;
  emit<K extends keyof RegionalAccountEventMap>(
    event: K,
    payload: RegionalAccountEventMap[K],
  ): void;
}

/** Whether an error is an answer from AWS with an HTTP status below 500 (a 4xx, not a fault). */
const answeredBelow500 = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof status === 'number' && status < 500;
};

/** The name of the middleware in the stack. @internal */
export const RATE_LIMIT_MIDDLEWARE_NAME = 'csRateLimit';

/**
 * In `finalizeRequest`, right before signing: inside the SDK's retry loop (every attempt passes),
 * and before the signature and the credentials are resolved, so that a request that waited for
 * its slot is signed with a fresh date and fresh credentials. (An absolute `priority` would place
 * it after signing, which the SDK attaches relative to its retry middleware.)
 */
const options: RelativeMiddlewareOptions = {
  name: RATE_LIMIT_MIDDLEWARE_NAME,
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
  tags: ['RATE_LIMIT'],
  override: true,
};

const SMITHY_CONTEXT_KEY = '__smithy_context';

/** The abort signal the caller passed to `send`, which the SDK keeps in the smithy context. */
const signalOf = (context: HandlerExecutionContext): AbortSignal | undefined => {
  const smithy = (context as Record<string, unknown>)[SMITHY_CONTEXT_KEY] as
    { abortSignal?: unknown } | undefined;
  const signal = smithy?.abortSignal;
  return signal instanceof AbortSignal ? signal : undefined;
};

/** `GetCallerIdentityCommand` → `GetCallerIdentity`. */
const operationOf = (context: HandlerExecutionContext): string => {
  const name = context.commandName ?? 'Unknown';
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
};

/**
 * The SDK service id of a client from its resolved `serviceId` (`STS` → `sts`,
 * `CloudWatch Logs` → `cloudwatch-logs`), the names of the `@aws-sdk/client-*` packages; for a
 * client without one, its class's name without `Client`, in lower case (`STSClient` → `sts`).
 *
 * @param client - the client
 * @param ClientClass - the class it was built from
 * @internal
 */
export const serviceIdOf = (client: unknown, ClientClass: { readonly name: string }): string => {
  const serviceId = (client as { config?: { serviceId?: unknown } } | undefined)?.config?.serviceId;
  return typeof serviceId === 'string'
    ? serviceId.toLowerCase().replace(/\s+/g, '-')
    : ClientClass.name.replace(/Client$/, '').toLowerCase();
};

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

/**
 * Takes a slot of every limit of one attempt, narrowest first and the RegionalAccount's own last,
 * so that all of them are fresh when the request leaves: a slot granted before a later limit made
 * the request wait (or before this process stalled: a busy event loop, a slow round trip to a
 * shared store) is spent unused, and taken again. At most {@link MAX_RETAKES} times, then the
 * request goes as it is. Answers the adaptive limiter's send time.
 */
async function takeSlots(
  host: RateLimitHost,
  operationLimits: readonly RateLimitProperties[],
  signal: AbortSignal | undefined,
): Promise<number> {
  const taken = new Map<RateLimitProperties, number>();
  let sentAt = 0;
  for (let round = 0; ; round++) {
    for (const limit of operationLimits) {
      if (taken.has(limit)) continue;
      await limit.acquire({ signal });
      taken.set(limit, host.now());
    }
    if (round === 0 && host.adaptive !== undefined) sentAt = await host.adaptive.acquire(signal);
    // The current limit, read now: a replaced or re-tuned limit applies to this attempt.
    const own = host.currentRateLimit();
    if (!taken.has(own)) {
      await own.acquire({ signal });
      taken.set(own, host.now());
    }
    if (round === MAX_RETAKES) return sentAt;
    const now = host.now();
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

/**
 * The plugin that adds the rate-limit middleware to a client of service `service`.
 *
 * @internal
 */
export const rateLimitPlugin = (
  host: RateLimitHost,
  service: string,
): Pluggable<object, MetadataBearer> => {
  const attempts = new WeakMap<HandlerExecutionContext, number>();
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> =
    (next, context) => async (args) => {
      const operation = operationOf(context);
      const attempt = (attempts.get(context) ?? 0) + 1;
      attempts.set(context, attempt);
      const target = { region: host.regionName, service, operation };
      if (attempt > 1) host.emit('retry', { ...target, attempt });
      const signal = signalOf(context);
      const start = host.now();
      const sentAt = await takeSlots(host, host.operationLimits(service, operation), signal);
      const waitedMs = host.now() - start;
      if (waitedMs >= 1) host.emit('rate-limit-wait', { ...target, attempt, waitedMs });
      host.emit('request', { ...target, attempt });
      let output: Awaited<ReturnType<typeof next>>;
      try {
        output = await next(args);
      } catch (error) {
        if (
          error instanceof Error &&
          isThrottlingError(error as Parameters<typeof isThrottlingError>[0])
        ) {
          host.emit('throttled', { ...target, attempt, code: awsErrorCode(error) });
          host.adaptive?.throttled(sentAt);
        } else if (answeredBelow500(error)) {
          // AWS took the request and answered (access denied, not found...): its limit let it in.
          host.adaptive?.accepted();
        }
        throw error;
      }
      host.adaptive?.accepted();
      return output;
    };
  return {
    applyToStack(stack) {
      // The step is finalizeRequest: that of the signing middleware it is placed before.
      stack.addRelativeTo(middleware, options);
    },
  };
};

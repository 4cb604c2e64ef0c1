/**
 * The rate-limit middleware of a RegionalAccount's clients. It sits in the `finalizeRequest` step,
 * inside the SDK's retry middleware and before signing, so that every HTTP attempt passes it:
 * single calls, each page of a paginator, each retry. It holds no limit itself: it hands each
 * attempt to the RegionalAccount's {@link RegionalLimits} (`RegionalLimits.ts`), which reads the
 * current limits at that moment (a replaced or re-tuned limit applies to the next attempt) and
 * takes their slots, narrowest first and the region's last.
 */

import type {
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
  RelativeMiddlewareOptions,
} from '@smithy/types';
import type { RegionalLimits } from './RegionalLimits';

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

/**
 * The plugin that adds the rate-limit middleware to a client of service `service`: at each attempt
 * the middleware asks `limits` for the attempt's slots, then tells it AWS's answer.
 *
 * @param limits - the resolved limits of the RegionalAccount that built the client
 * @param service - the SDK service id of the client (see {@link serviceIdOf})
 * @internal
 */
export const rateLimitPlugin = (
  limits: RegionalLimits,
  service: string,
): Pluggable<object, MetadataBearer> => {
  const attempts = new WeakMap<HandlerExecutionContext, number>();
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> =
    (next, context) => async (args) => {
      const attempt = (attempts.get(context) ?? 0) + 1;
      attempts.set(context, attempt);
      const admission = await limits.take({
        service,
        operation: operationOf(context),
        attempt,
        signal: signalOf(context),
      });
      let output: Awaited<ReturnType<typeof next>>;
      try {
        output = await next(args);
      } catch (error) {
        limits.failed(admission, error);
        throw error;
      }
      limits.succeeded();
      return output;
    };
  return {
    applyToStack(stack) {
      // The step is finalizeRequest: that of the signing middleware it is placed before.
      stack.addRelativeTo(middleware, options);
    },
  };
};

/**
 * Sorts a failure into the classes a fan-out reports and `ignore` rules match.
 */

import { isThrottlingError } from '@smithy/core/retry';

/**
 * The class of a failure:
 * - `explicit-deny`: a policy denies the call explicitly (`... with an explicit deny ...`);
 * - `access-denied`: the credentials lack the permission (including a role that does not trust the
 *   caller);
 * - `region-not-enabled`: an opt-in region the account has not enabled;
 * - `expired-credentials` / `invalid-credentials`: the credentials are expired, or wrong;
 * - `throttled`: AWS throttled the call (the SDK's own list), or the client-side limit refused it;
 * - `not-found`: the item does not exist (`NoSuch*`, `*NotFound*`, HTTP 404);
 * - `network`: the connection failed (refused, reset, timed out, name not resolved);
 * - `aborted`: the work was cancelled;
 * - `account-not-active`: a suspended member account of an organisation, never called;
 * - `other`: anything else.
 *
 * @public
 */
export type ErrorClass =
  | 'access-denied'
  | 'explicit-deny'
  | 'region-not-enabled'
  | 'invalid-credentials'
  | 'expired-credentials'
  | 'throttled'
  | 'not-found'
  | 'network'
  | 'aborted'
  | 'account-not-active'
  | 'other';

/** What {@link classifyError} knows besides the error. @public */
export interface ClassifyErrorContext {
  /**
   * Whether the target's region is enabled for the account, when known (discovery mode): a
   * credentials error (`AuthFailure`, `InvalidClientTokenId`, `UnrecognizedClientException`) in a
   * region known not to be enabled is classed `region-not-enabled`.
   * @defaultValue undefined: not known
   */
  readonly regionEnabled?: boolean | undefined;
}

/** What {@link classifyError} found. @public */
export interface ErrorClassification {
  /** The class. */
  readonly errorClass: ErrorClass;
  /** The AWS or Node error code found on the error or its causes, when there is one. */
  readonly code: string | undefined;
  /** The message of the innermost error that decided the class (else the outer one's). */
  readonly message: string;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'ForbiddenException',
  'NotAuthorized',
  'NotAuthorizedException',
  'AWSOrganizationsNotInUseException',
]);
const REGION_NOT_ENABLED = new Set(['OptInRequired', 'RegionDisabledException', 'RegionDisabled']);
const EXPIRED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
]);
const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
  'InvalidIdentityToken',
]);
const CLIENT_THROTTLED = new Set(['RateLimitExceeded']);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'NetworkingError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

interface Layer {
  readonly name: string | undefined;
  readonly code: string | undefined;
  readonly message: string;
  readonly status: number | undefined;
  readonly error: unknown;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** The error and its causes, outermost first (at most 8 deep, cycles stopped). */
const layers = (error: unknown): Layer[] => {
  const out: Layer[] = [];
  const seen = new Set<unknown>();
  let current = error;
  while (current !== undefined && current !== null && !seen.has(current) && out.length < 8) {
    seen.add(current);
    if (typeof current !== 'object') {
      out.push({
        name: undefined,
        code: undefined,
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive or a function
        message: String(current),
        status: undefined,
        error: current,
      });
      break;
    }
    const record = current as Record<string, unknown>;
    const metadata = record.$metadata as { httpStatusCode?: unknown } | undefined;
    const name = str(record.name);
    out.push({
      name: name === 'Error' ? undefined : name,
      code: str(record.Code) ?? str(record.code),
      message: str(record.message) ?? '',
      status: typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined,
      error: current,
    });
    current = record.cause;
  }
  return out;
};

const classifyLayer = (layer: Layer): ErrorClass | undefined => {
  const codes = [layer.name, layer.code].filter((c): c is string => c !== undefined);
  const has = (set: ReadonlySet<string>): boolean => codes.some((c) => set.has(c));
  if (/with an explicit deny/i.test(layer.message)) return 'explicit-deny';
  if (has(REGION_NOT_ENABLED) || /is not activated in this region/i.test(layer.message)) {
    return 'region-not-enabled';
  }
  if (has(EXPIRED) || /security token included in the request is expired/i.test(layer.message)) {
    return 'expired-credentials';
  }
  if (codes.includes('AbortError')) {
    return 'aborted';
  }
  if (has(CLIENT_THROTTLED)) return 'throttled';
  if (
    typeof layer.error === 'object' &&
    layer.name !== undefined &&
    isThrottlingError(layer.error as Parameters<typeof isThrottlingError>[0])
  ) {
    return 'throttled';
  }
  if (layer.status === 429) return 'throttled';
  if (
    has(ACCESS_DENIED) ||
    /\bis not authorized to perform\b|\baccess denied\b/i.test(layer.message)
  ) {
    return 'access-denied';
  }
  if (has(INVALID_CREDENTIALS)) return 'invalid-credentials';
  if (codes.some((c) => c.startsWith('NoSuch') || /NotFound/.test(c)) || layer.status === 404) {
    return 'not-found';
  }
  if (has(NETWORK) || /socket hang up|connect ECONNREFUSED|getaddrinfo/i.test(layer.message)) {
    return 'network';
  }
  if (layer.status === 403) return 'access-denied';
  return undefined;
};

/**
 * Classifies a failure, looking through wrappers (`AwsClientError` and any error with a `cause`)
 * to the SDK's or Node's error underneath: the outermost layer that says something decides.
 *
 * @param error - any thrown value
 * @param context - what is known besides the error
 * @returns the class, the code found and the message that decided
 * @example
 * ```ts
 * classifyError(e).errorClass; // 'access-denied', 'throttled', ...
 * ```
 * @public
 */
export const classifyError = (
  error: unknown,
  context: ClassifyErrorContext = {},
): ErrorClassification => {
  const all = layers(error);
  const code = all
    .map((l) => l.code ?? l.name)
    .find((c) => c !== undefined && !/^(AwsClientError|RegionalError|Error|TypeError)$/.test(c));
  for (const layer of all) {
    let errorClass = classifyLayer(layer);
    if (errorClass === 'invalid-credentials' && context.regionEnabled === false) {
      errorClass = 'region-not-enabled';
    }
    if (errorClass !== undefined) {
      return { errorClass, code: layer.code ?? layer.name ?? code, message: layer.message };
    }
  }
  return { errorClass: 'other', code, message: all[0]?.message ?? String(error) };
};

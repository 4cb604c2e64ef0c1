/**
 * What an AWS error means for the user: the original's hints, kept word for word where they
 * apply, and the masking of credentials that an error message might echo.
 */

/**
 * The AWS error code of an SDK error: the code AWS sent (`Code`, as boto3's
 * `response['Error']['Code']`: `NoSuchEntity`), else the SDK error's `name` (the SDK may name the
 * class after the error shape: `NoSuchEntityException`), else a Node.js `code` (`ECONNREFUSED`),
 * else `'Unknown'`.
 *
 * @internal
 */
export const awsErrorCode = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) return 'Unknown';
  const {
    Code,
    Error: body,
    name,
    code,
  } = error as {
    Code?: unknown;
    Error?: { Code?: unknown };
    name?: unknown;
    code?: unknown;
  };
  for (const candidate of [Code, body?.Code, name, code]) {
    if (typeof candidate === 'string' && candidate.length > 0 && candidate !== 'Error') {
      return candidate;
    }
  }
  return 'Unknown';
};

const REGION_OR_CREDENTIALS = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);

/**
 * The hint for an AWS error code, or `undefined`.
 *
 * @internal
 */
export const awsErrorHint = (code: string): string | undefined => {
  if (code.startsWith('NoSuch')) return 'the item does not exist';
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    return 'the credentials lack the permission for this call: check the IAM policies';
  }
  if (REGION_OR_CREDENTIALS.has(code)) {
    return (
      'the region is not enabled for this account, or the credentials are wrong: ' +
      'remove the region from the filter, or check the credentials'
    );
  }
  return undefined;
};

/**
 * Masks access key ids (`AKIA…`, `ASIA…`) and long base64 runs with digits (secret keys, tokens), so that a message never
 * carries a credential even when AWS echoes one.
 *
 * @internal
 */
export const redactSecrets = (text: string): string =>
  text
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[access key id]')
    // Secret keys are 40 characters of base64, tokens far longer; names and paths rarely hold digits.
    .replace(/[A-Za-z0-9/+=]{40,}/g, (run) => (/\d/.test(run) ? '[redacted]' : run));

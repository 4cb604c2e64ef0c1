/**
 * @cs/session: AWS sessions for SDK v3: boto3-style parameters, role chains with shared self-refreshing credentials, regional STS and endpoint rules.
 *
 * @packageDocumentation
 */

export const __placeholder = true;

/**
 * What to do about each class of failure, for the summary, when the error itself carries no hint.
 */

/** Hints by error class. @internal */
export const classHints: Readonly<Record<string, string>> = {
  'access-denied': 'the credentials lack the permission: check the IAM policies and role trust',
  'explicit-deny': 'a policy (SCP, permission boundary or IAM) denies the call explicitly',
  'region-not-enabled':
    'the region is not enabled for the account: enable it, or remove it from the filter',
  'invalid-credentials':
    'the region is not enabled for the account, or the credentials are wrong: remove the region from the filter, or check the credentials',
  'expired-credentials': 'the credentials expired: refresh them (or check the clock)',
  throttled: 'AWS throttled the calls: lower RateLimit or --concurrency',
  'not-found': 'the item does not exist',
  network: 'the endpoint could not be reached: check the network, the proxy or EndpointUrl',
  aborted: 'the run was cancelled before this target finished',
  'account-not-active': 'the account is suspended or closed: it is never called',
  other: 'see the message',
};

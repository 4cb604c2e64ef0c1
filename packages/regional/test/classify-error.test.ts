import { describe, expect, it } from 'vitest';
import { classifyError } from '../src/fanout/classifyError';
import { AwsClientError } from '../src/account/errors';

const awsError = (name: string, message = `${name} happened`, status = 400): Error =>
  Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, requestId: 'r-1' },
  });

const wrapped = (cause: unknown): AwsClientError =>
  new AwsClientError(cause, {
    accountId: '111111111111',
    alias: 'prod',
    region: 'eu-west-1',
    service: 'sts',
    operation: 'GetCallerIdentity',
  });

describe('classifyError', () => {
  it.each([
    ['AccessDenied', 'access-denied'],
    ['AccessDeniedException', 'access-denied'],
    ['UnauthorizedOperation', 'access-denied'],
    ['OptInRequired', 'region-not-enabled'],
    ['RegionDisabledException', 'region-not-enabled'],
    ['ExpiredToken', 'expired-credentials'],
    ['ExpiredTokenException', 'expired-credentials'],
    ['InvalidClientTokenId', 'invalid-credentials'],
    ['UnrecognizedClientException', 'invalid-credentials'],
    ['AuthFailure', 'invalid-credentials'],
    ['SignatureDoesNotMatch', 'invalid-credentials'],
    ['Throttling', 'throttled'],
    ['ThrottlingException', 'throttled'],
    ['RequestLimitExceeded', 'throttled'],
    ['TooManyRequestsException', 'throttled'],
    ['RateLimitExceeded', 'throttled'],
    ['NoSuchEntity', 'not-found'],
    ['ResourceNotFoundException', 'not-found'],
    ['InvalidInstanceID.NotFound', 'not-found'],
    ['AbortError', 'aborted'],
    ['ValidationError', 'other'],
  ] as const)('classes %s as %s, bare and wrapped in AwsClientError', (code, expected) => {
    expect(classifyError(awsError(code)).errorClass).toBe(expected);
    const result = classifyError(wrapped(awsError(code)));
    expect(result.errorClass).toBe(expected);
    expect(result.code).toBe(code);
  });

  it('tells an explicit deny by its message, before access denied', () => {
    const deny = awsError(
      'AccessDenied',
      'User: arn:aws:iam::1:user/x is not authorized to perform: ec2:DescribeRegions with an explicit deny in a service control policy',
      403,
    );
    expect(classifyError(deny).errorClass).toBe('explicit-deny');
    expect(classifyError(wrapped(deny)).errorClass).toBe('explicit-deny');
  });

  it('classes HTTP 429 as throttled and 404 as not found', () => {
    expect(classifyError(awsError('SomethingOdd', 'x', 429)).errorClass).toBe('throttled');
    expect(classifyError(awsError('SomethingOdd', 'x', 404)).errorClass).toBe('not-found');
  });

  it('classes connection failures as network, through any cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(classifyError(refused)).toMatchObject({ errorClass: 'network', code: 'ECONNREFUSED' });
    const outer = new Error('the call failed', { cause: new Error('middle', { cause: refused }) });
    expect(classifyError(outer).errorClass).toBe('network');
    expect(
      classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).errorClass,
    ).toBe('network');
  });

  it('turns a credentials error into region-not-enabled when the region is known not enabled', () => {
    expect(
      classifyError(awsError('InvalidClientTokenId'), { regionEnabled: false }).errorClass,
    ).toBe('region-not-enabled');
    expect(
      classifyError(awsError('InvalidClientTokenId'), { regionEnabled: true }).errorClass,
    ).toBe('invalid-credentials');
  });

  it('classes anything else as other, and survives odd values', () => {
    expect(classifyError(new Error('boom')).errorClass).toBe('other');
    expect(classifyError('a string').errorClass).toBe('other');
    expect(classifyError(undefined).errorClass).toBe('other');
    const cyclic: { name: string; message: string; cause?: unknown } = { name: 'X', message: 'm' };
    cyclic.cause = cyclic;
    expect(classifyError(cyclic).errorClass).toBe('other');
  });
});

// Issue 14, item 6: an error kept as a `cause` never holds the SDK's raw response, request,
// headers or credentials, whatever util.inspect is asked to show.
import { inspect } from 'node:util';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripResponse } from '../src/index';

const TOKEN = 'SECRETFIXTURE-strip-session-token';
const KEY = { accessKeyId: 'AKIAFIXTURESTRIP0001', secretAccessKey: 'SECRETFIXTURE-strip-key' };
const everything = (value: unknown): string => inspect(value, { showHidden: true, depth: null });

/** An error shaped as the SDK's: a hidden raw response whose request carries the token. */
const sdkLike = (name = 'InternalFailure'): Error => {
  const error = Object.assign(new Error('We encountered an internal error'), {
    name,
    $fault: 'server',
    $metadata: { httpStatusCode: 500, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 },
    $retryable: { throttling: false },
    Code: name,
    Error: { Code: name, Detail: { headers: { 'x-amz-security-token': TOKEN } } },
  });
  Object.defineProperty(error, '$response', {
    enumerable: false,
    value: { statusCode: 500, headers: { 'x-amz-security-token': TOKEN }, body: TOKEN },
  });
  return error;
};

describe('stripResponse', () => {
  it('keeps what says what went wrong, never the response, request or headers', () => {
    const error = sdkLike();
    const clean = stripResponse(error) as Error & Record<string, unknown>;
    expect(everything(error)).toContain(TOKEN);
    expect(everything(clean)).not.toContain(TOKEN);
    expect(clean).toBeInstanceOf(Error);
    expect(clean).not.toBe(error);
    expect(clean).toMatchObject({
      name: 'InternalFailure',
      message: 'We encountered an internal error',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, requestId: 'req-1', attempts: 1 },
      $retryable: { throttling: false },
      Code: 'InternalFailure',
    });
    expect(clean.stack).toBe(error.stack);
    expect(Reflect.ownKeys(clean)).not.toContain('$response');
    expect(Reflect.ownKeys(clean)).not.toContain('Error');
    // The caller's error is not changed.
    expect(Reflect.ownKeys(error)).toContain('$response');
  });

  it('sanitizes every cause, an AggregateError’s errors, $metadata beyond its known fields, and ends cycles', () => {
    const inner = sdkLike('ThrottlingException');
    const aggregate = new AggregateError([sdkLike('ECONNRESET'), inner], 'all attempts failed');
    const outer = new Error('the call failed', { cause: aggregate }) as Error & { cause: unknown };
    (inner as Error & { cause?: unknown }).cause = outer; // a cycle back to the top
    (outer as unknown as Record<string, unknown>).$metadata = {
      httpStatusCode: 500,
      request: { headers: { authorization: TOKEN } },
    };
    const clean = stripResponse(outer) as Error & { cause: AggregateError };
    const text = everything(clean);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('ThrottlingException');
    expect(clean.cause).toBeInstanceOf(AggregateError);
    expect(clean.cause.errors).toHaveLength(2);
    expect((clean as unknown as { $metadata: object }).$metadata).toEqual({ httpStatusCode: 500 });
  });

  it('gives an error with nothing to leave out back as it is (own errors keep their identity)', () => {
    const plain = new TypeError('bad input', { cause: new Error('deeper') });
    expect(stripResponse(plain)).toBe(plain);
    const once = stripResponse(sdkLike());
    expect(stripResponse(once)).toBe(once);
    for (const value of [undefined, null, 'text', 42]) expect(stripResponse(value)).toBe(value);
  });

  it('never calls an accessor of the error', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'secret', {
      enumerable: true,
      get: () => {
        throw new Error('read');
      },
    });
    const clean = stripResponse(error) as Record<string, unknown>;
    expect(Reflect.ownKeys(clean)).not.toContain('secret');
  });
});

describe('stripResponse on the SDK’s own errors from aws-local', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({
      accounts: [
        {
          id: '111111111111',
          users: [{ name: 'ci', accessKeys: [KEY] }],
          roles: [{ name: 'R', trust: ['111111111111'] }],
        },
      ],
    });
  });
  afterAll(() => aws.close());

  it.each([500, 503, 'drop', 'expired', 'unknown token'] as const)(
    '%s, with a session token: the SDK error shows the token, its stripped copy does not',
    async (fault) => {
      const sts = (credentials: {
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken?: string;
      }) => new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      const assumer = sts(KEY);
      const { Credentials: c } = await assumer.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::111111111111:role/R',
          RoleSessionName: 'strip',
        }),
      );
      assumer.destroy();
      const token = fault === 'unknown token' ? TOKEN : c!.SessionToken!;
      expect(token).toMatch(/^SECRETFIXTURE/);
      const client = sts({
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: token,
      });
      let stop = (): void => {};
      if (fault === 'expired') aws.model.expireSessions();
      else if (fault !== 'unknown token') stop = aws.inject.fault({ fault });
      const error = await client.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
      stop();
      client.destroy();
      expect(everything(error)).toContain(token);
      const clean = stripResponse(error);
      expect(everything(clean)).not.toContain(token);
      expect((clean as Error).name).toBe((error as Error).name);
      if (error instanceof STSServiceException) expect(clean).toBeInstanceOf(STSServiceException);
    },
  );
});

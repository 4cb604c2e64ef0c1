import { inspect } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Account } from '@cs/account';
import { RateLimitProperties } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import { AwsClientError, RegionalAccount, isAwsClientError, isRegionalError } from '../src/index';
import { FAKE_KEY, FakeHandler, fakeAccount, noDelayRetries, queryError } from './helpers';

const failing = (answer: ReturnType<typeof queryError>) => {
  const ra = new RegionalAccount(new RateLimitProperties(), fakeAccount(), 'ap-south-2');
  const handler = new FakeHandler(() => answer);
  return { ra, config: { requestHandler: handler, retryStrategy: noDelayRetries() } };
};

const errorOf = async (promise: Promise<unknown>): Promise<AwsClientError> => {
  const error = await promise.catch((e: unknown) => e);
  expect(isAwsClientError(error)).toBe(true);
  return error as AwsClientError;
};

describe('AwsClientError', () => {
  it('keeps the cause and names account id, alias, region, service, operation and code', async () => {
    const { ra, config } = failing(
      queryError(404, 'NoSuchEntity', 'The role with name x cannot be found.'),
    );
    const error = await errorOf(ra.callClient('iam', 'get_role', { RoleName: 'x' }, config));
    expect(error).toMatchObject({
      name: 'AwsClientError',
      code: 'NoSuchEntity',
      accountId: '123456789012',
      alias: 'acme-prod',
      region: 'ap-south-2',
      service: 'iam',
      operation: 'GetRole',
      httpStatusCode: 404,
      hint: 'the item does not exist',
    });
    expect((error.cause as Error).name).toBe('NoSuchEntityException');
    expect(error.message).toBe(
      'iam:GetRole failed in account acme-prod (123456789012), region ap-south-2: NoSuchEntity: ' +
        'The role with name x cannot be found. (the item does not exist)',
    );
    expect(isRegionalError(error)).toBe(true);
    expect(error).toBeInstanceOf(AwsClientError);
  });

  it('hints at permissions for AccessDenied', async () => {
    const { ra, config } = failing(
      queryError(403, 'AccessDenied', 'not authorized to perform sts:GetCallerIdentity'),
    );
    const error = await errorOf(ra.callClient('sts', 'GetCallerIdentity', {}, config));
    expect(error.code).toBe('AccessDenied');
    expect(error.hint).toMatch(/permission/);
  });

  it.each(['InvalidClientTokenId', 'AuthFailure', 'UnrecognizedClientException'])(
    'hints at a region not enabled or wrong credentials for %s',
    async (code) => {
      const { ra, config } = failing(
        queryError(403, code, 'The security token included in the request is invalid.'),
      );
      const error = await errorOf(ra.callClient('sts', 'GetCallerIdentity', {}, config));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(
        /region is not enabled for this account, or the credentials are wrong: remove the region from the filter/,
      );
    },
  );

  it('wraps the errors of send too, and never carries a secret in its message or inspect output', async () => {
    const secretLike = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1';
    const { ra, config } = failing(
      queryError(
        403,
        'SignatureDoesNotMatch',
        `signature for ${FAKE_KEY.accessKeyId} with ${secretLike} is wrong`,
      ),
    );
    const handlerConfig = config;
    const sts = ra.client(STSClient, handlerConfig);
    expect(sts).toBe(ra.client(STSClient, handlerConfig));
    const error = await errorOf(
      (async () => {
        // send() uses the client of the class without extra config: point it at the fake too.
        ra.client(STSClient).config.requestHandler = handlerConfig.requestHandler as never;
        ra.client(STSClient).config.retryStrategy = async () => handlerConfig.retryStrategy;
        return ra.send(STSClient, new GetCallerIdentityCommand({}));
      })(),
    );
    expect(error.operation).toBe('GetCallerIdentity');
    expect(error.service).toBe('sts');
    expect(error.message).not.toContain(FAKE_KEY.accessKeyId);
    expect(error.message).not.toContain(secretLike);
    expect(error.message).toContain('[access key id]');
    expect(inspect(error, { depth: 6 })).not.toContain(FAKE_KEY.secretAccessKey);
  });

  it('lets rate-limit errors through unwrapped', async () => {
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: 1, interval: 60_000 }),
      fakeAccount(),
      'us-east-1',
    );
    const { config } = failing(queryError(503, 'ServiceUnavailable', 'down'));
    const error = await ra
      .callClient('sts', 'GetCallerIdentity', {}, config)
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('RateLimitExceeded');
  });
});

describe('the account id and alias of AwsClientError', () => {
  it('are looked up once for concurrent errors, and a failed lookup is not repeated at once', async () => {
    const session = fakeAccount().session();
    let lookups = 0;
    const account = {
      session: () => session,
      accountId: async () => {
        lookups++;
        throw new Error('InvalidClientTokenId');
      },
      alias: async () => 'never-read',
    } as unknown as Account;
    const ra = new RegionalAccount(new RateLimitProperties(), account, 'us-east-1');
    const handler = new FakeHandler(() =>
      queryError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      ),
    );
    const config = { requestHandler: handler, retryStrategy: noDelayRetries() };
    const errors = await Promise.all(
      Array.from({ length: 5 }, () =>
        ra
          .callClient('sts', 'GetCallerIdentity', {}, config)
          .catch((e: unknown) => e as AwsClientError),
      ),
    );
    await ra.callClient('sts', 'GetCallerIdentity', {}, config).catch(() => undefined);
    expect(lookups).toBe(1);
    expect(
      errors.every((e) => e.accountId === undefined && e.code === 'InvalidClientTokenId'),
    ).toBe(true);
    expect(errors[0]!.message).toMatch(
      /failed in an account whose id could not be read, region us-east-1/,
    );
  });
});

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import { RegionalAccount } from '../src/index';
import { FakeHandler, callerIdentity, fakeAccount, listRolesPage, noDelayRetries } from './helpers';

const handler = (): FakeHandler =>
  new FakeHandler((r) => (r.action === 'ListRoles' ? listRolesPage('r') : callerIdentity()));

describe('operation limits (RateLimitOperationSpec)', () => {
  it('takes a slot from every limit that applies: operation, service and regional', async () => {
    const shared = new RateLimitProperties({ maxCount: 100, interval: 60_000 });
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: 100, interval: 60_000 }),
      fakeAccount(),
      'us-east-1',
      {
        operationLimits: {
          sts: { max_count: 100, interval: 60 },
          'sts:get_caller_identity': shared,
          'iam:ListRoles': { maxCount: 100, interval: '1m' },
        },
      },
    );
    const config = { requestHandler: handler(), retryStrategy: noDelayRetries() };
    await ra.callClient('sts', 'GetCallerIdentity', {}, config);
    await ra.callClient('iam', 'ListRoles', {}, config);
    await ra.callClient('iam', 'ListUsers', {}, config).catch(() => undefined);
    expect([...ra.operationLimits.keys()].sort()).toEqual([
      'iam:listroles',
      'sts',
      'sts:getcalleridentity',
    ]);
    expect(shared.stats.granted).toBe(1);
    expect(ra.operationLimits.get('sts')?.stats.granted).toBe(1);
    expect(ra.operationLimits.get('iam:listroles')?.stats.granted).toBe(1);
    expect(ra.ratelimit.stats.granted).toBe(3);
  });

  it('fails a request when its operation limit is spent, while other operations still pass', async () => {
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: 100, interval: 60_000 }),
      fakeAccount(),
      'us-east-1',
      {
        operationLimits: { 'iam:ListRoles': { max_count: 1, interval: 60 } },
      },
    );
    const config = { requestHandler: handler(), retryStrategy: noDelayRetries() };
    await ra.callClient('iam', 'list_roles', {}, config);
    const error = await ra.callClient('iam', 'list_roles', {}, config).catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    await expect(ra.callClient('sts', 'GetCallerIdentity', {}, config)).resolves.toBeDefined();
    // Values can be changed at run time through the map.
    ra.operationLimits.get('iam:listroles')!.maxCount = 2;
    await expect(ra.callClient('iam', 'list_roles', {}, config)).resolves.toBeDefined();
  });

  it('applies to typed clients too, by the service id of the client', async () => {
    const ra = new RegionalAccount(new RateLimitProperties(), fakeAccount(), 'us-east-1', {
      operationLimits: { STS: { max_count: 1, interval: 60 } },
    });
    const sts = ra.client(STSClient, {
      requestHandler: handler(),
      retryStrategy: noDelayRetries(),
    });
    await sts.send(new GetCallerIdentityCommand({}));
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'RateLimitExceeded',
    });
  });

  it('refuses an invalid limit spec', () => {
    expect(
      () =>
        new RegionalAccount(new RateLimitProperties(), fakeAccount(), 'us-east-1', {
          operationLimits: { sts: { max_count: -1 } },
        }),
    ).toThrow(/max_count/);
  });
});

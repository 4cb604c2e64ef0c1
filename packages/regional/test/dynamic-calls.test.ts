import { RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import {
  RegionalAccount,
  isOperationNotPaginatedError,
  isServiceClientNotInstalledError,
  isUnknownOperationError,
} from '../src/index';
import {
  FakeHandler,
  callerIdentity,
  fakeAccount,
  iamLoaderTalkingTo,
  listRolesPage,
  noDelayRetries,
} from './helpers';

const limit = (maxCount: number, block = false): RateLimitProperties =>
  new RateLimitProperties({ maxCount, interval: 60_000, block });

const setup = (maxCount = 10) => {
  const ra = new RegionalAccount(limit(maxCount), fakeAccount(), 'us-east-1');
  const handler = new FakeHandler((request) =>
    request.action === 'ListRoles' ? listRolesPage('only') : callerIdentity(),
  );
  const config = { requestHandler: handler, retryStrategy: noDelayRetries() };
  return { ra, handler, config };
};

describe('callClient', () => {
  it('calls an operation by its SDK name or by the original snake_case name', async () => {
    const { ra, handler, config } = setup();
    const pascal = await ra.callClient<{ Account: string }>('sts', 'GetCallerIdentity', {}, config);
    const snake = await ra.callClient<{ Account: string }>(
      'sts',
      'get_caller_identity',
      {},
      config,
    );
    expect(pascal.Account).toBe('123456789012');
    expect(snake.Account).toBe('123456789012');
    expect(handler.seen.map((s) => s.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
  });

  it('follows the documented sequence: limit 1, the second call raises, after maxCount = 2 it passes', async () => {
    const { ra, config } = setup(1);
    await ra.callClient('sts', 'get_caller_identity', {}, config);
    const error = await ra
      .callClient('sts', 'get_caller_identity', {}, config)
      .catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    ra.ratelimit.maxCount = 2;
    await expect(ra.callClient('sts', 'get_caller_identity', {}, config)).resolves.toMatchObject({
      Account: '123456789012',
    });
  });

  it('names the close matches of a wrong operation name', async () => {
    const { ra } = setup();
    const error = await ra.callClient('sts', 'get_caller_identiy').catch((e: unknown) => e);
    expect(isUnknownOperationError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /service sts has no operation get_caller_identiy; did you mean GetCallerIdentity/,
    );
  });

  it('names the package to install when the service client is missing', async () => {
    const { ra } = setup();
    const error = await ra.callClient('nosuchservice', 'ListThings').catch((e: unknown) => e);
    expect(isServiceClientNotInstalledError(error)).toBe(true);
    expect(error).toMatchObject({
      service: 'nosuchservice',
      packageName: '@aws-sdk/client-nosuchservice',
    });
    expect((error as Error).message).toContain('pnpm add @aws-sdk/client-nosuchservice');
  });

  it('loads services through the injected loader, and never caches a failed load', async () => {
    let attempts = 0;
    const loader = async (name: string): Promise<Record<string, unknown>> => {
      attempts++;
      if (attempts === 1) {
        throw Object.assign(new Error(`Cannot find package '${name}'`), {
          code: 'ERR_MODULE_NOT_FOUND',
        });
      }
      return await import('@aws-sdk/client-sts');
    };
    const handler = new FakeHandler(() => callerIdentity('210987654321'));
    const ra = new RegionalAccount(limit(10), fakeAccount(), 'us-east-1', {
      loadServiceModule: loader,
    });
    await expect(ra.callClient('sts', 'GetCallerIdentity')).rejects.toMatchObject({
      name: 'ServiceClientNotInstalledError',
    });
    const out = await ra.callClient('sts', 'GetCallerIdentity', {}, { requestHandler: handler });
    expect(out).toMatchObject({ Account: '210987654321' });
    expect(attempts).toBe(2);
  });
});

describe('paginate', () => {
  it('iterates pages in snake_case through the SDK paginator: the second page raises under a limit of 1, then passes', async () => {
    const handler = new FakeHandler(() => listRolesPage('last'));
    const ra = new RegionalAccount(limit(1), fakeAccount(), 'us-east-1', {
      loadServiceModule: await iamLoaderTalkingTo(handler),
    });
    const roles: string[] = [];
    const iterate = async (): Promise<void> => {
      handler.queue.push(listRolesPage('first', 'm1'));
      for await (const page of ra.paginate<{ Roles: { RoleName: string }[] }>(
        'iam',
        'list_roles',
      )) {
        roles.push(page.Roles[0]?.RoleName ?? '?');
      }
    };
    const error = await iterate().catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    expect(roles).toEqual(['first']);
    ra.ratelimit.maxCount = 3;
    roles.length = 0;
    await iterate();
    expect(roles).toEqual(['first', 'last']);
    expect(handler.seen.map((r) => r.action)).toEqual(['ListRoles', 'ListRoles', 'ListRoles']);
  });

  it('cancels a page waiting for its slot with the signal of the pagination config', async () => {
    const handler = new FakeHandler(() => listRolesPage('more', 'm'));
    const ra = new RegionalAccount(limit(1, true), fakeAccount(), 'us-east-1', {
      loadServiceModule: await iamLoaderTalkingTo(handler),
    });
    const controller = new AbortController();
    let pages = 0;
    const iterating = (async () => {
      for await (const _ of ra.paginate('iam', 'ListRoles', {}, { signal: controller.signal })) {
        pages++;
      }
    })();
    await expect.poll(() => ra.ratelimit.stats.waiting).toBe(1);
    controller.abort();
    await expect(iterating).rejects.toMatchObject({ name: 'AbortError' });
    expect(pages).toBe(1);
    expect(ra.ratelimit.stats.waiting).toBe(0);
    expect(handler.seen).toHaveLength(1);
  });

  it('refuses an operation without a paginator, naming it', async () => {
    const { ra } = setup();
    const iterate = async (): Promise<void> => {
      for await (const _ of ra.paginate('sts', 'get_caller_identity')) break;
    };
    const error = await iterate().catch((e: unknown) => e);
    expect(isOperationNotPaginatedError(error)).toBe(true);
    expect((error as Error).message).toMatch(/sts:GetCallerIdentity has no paginator/);
  });
});

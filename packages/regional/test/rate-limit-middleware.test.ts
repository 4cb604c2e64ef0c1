import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, paginateListRoles } from '@aws-sdk/client-iam';
import { RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import { RegionalAccount } from '../src/index';
import { serviceIdOf } from '../src/account/limits/rateLimitPlugin';
import {
  FakeHandler,
  callerIdentity,
  fakeAccount,
  listRolesPage,
  noDelayRetries,
  throttling,
  unavailable,
} from './helpers';

const limit = (maxCount: number, block = false, interval = 60_000): RateLimitProperties =>
  new RateLimitProperties({ maxCount, interval, block });

const stsWith = (ra: RegionalAccount, handler: FakeHandler): STSClient =>
  ra.client(STSClient, { requestHandler: handler, retryStrategy: noDelayRetries() });

describe('the csRateLimit middleware', () => {
  it('sits in finalizeRequest inside the retry loop and before signing', () => {
    const ra = new RegionalAccount(limit(10), fakeAccount(), 'eu-west-1');
    const names = ra.client(STSClient).middlewareStack.identify();
    const retry = names.findIndex((n) => n.startsWith('retryMiddleware'));
    const mine = names.findIndex((n) => n.startsWith('csRateLimit'));
    const signing = names.findIndex((n) => n.startsWith('httpSigningMiddleware'));
    expect(names[mine]).toBe('csRateLimit - before httpSigningMiddleware');
    expect(
      names
        .slice(retry, signing + 1)
        .every((n) => n.endsWith('finalizeRequest') || n === names[mine]),
    ).toBe(true);
    expect(retry).toBeLessThan(mine);
    expect(mine).toBeLessThan(signing);
  });

  it('takes one slot per HTTP attempt: a throttled attempt and a 503 and the final success take three', async () => {
    const ra = new RegionalAccount(limit(10), fakeAccount(), 'eu-west-1');
    const handler = new FakeHandler(() => callerIdentity());
    handler.queue.push(throttling(), unavailable());
    const out = await stsWith(ra, handler).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('123456789012');
    expect(out.$metadata.attempts).toBe(3);
    expect(handler.seen).toHaveLength(3);
    expect(ra.ratelimit.stats.granted).toBe(3);
  });

  it('fails a retry that finds no slot with RateLimitExceeded, which the SDK does not retry', async () => {
    const ra = new RegionalAccount(limit(1), fakeAccount(), 'eu-west-1');
    const handler = new FakeHandler(() => callerIdentity());
    handler.queue.push(unavailable());
    const error = await stsWith(ra, handler)
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    // One request reached the wire; the second attempt stopped at the limit and was not retried.
    expect(handler.seen).toHaveLength(1);
    expect(ra.ratelimit.stats).toMatchObject({ granted: 1, rejected: 1 });
  });

  it('reads the current limit at each attempt: replacing it applies to clients already handed out', async () => {
    const ra = new RegionalAccount(limit(1), fakeAccount(), 'eu-west-1');
    const handler = new FakeHandler(() => callerIdentity());
    const sts = stsWith(ra, handler);
    await sts.send(new GetCallerIdentityCommand({}));
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow(
      /rate limit of 1 calls/,
    );
    const replacement = limit(5);
    ra.ratelimit = replacement;
    await sts.send(new GetCallerIdentityCommand({}));
    expect(replacement.stats.granted).toBe(1);
    expect(() => {
      ra.ratelimit = { maxCount: 1 } as unknown as RateLimitProperties;
    }).toThrow(TypeError);
  });

  it('counts every page of an SDK paginator: the second page raises under a limit of 1 and passes once the limit grows', async () => {
    const ra = new RegionalAccount(limit(1), fakeAccount(), 'eu-west-1');
    const handler = new FakeHandler(() => listRolesPage('last'));
    handler.queue.push(listRolesPage('first', 'm1'));
    const iam = ra.client(IAMClient, { requestHandler: handler, retryStrategy: noDelayRetries() });
    const pages: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const page of paginateListRoles({ client: iam }, {})) {
        pages.push(page.Roles?.[0]?.RoleName ?? '?');
      }
    };
    const error = await iterate().catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    expect(pages).toEqual(['first']);
    ra.ratelimit.maxCount = 3;
    handler.queue.push(listRolesPage('first', 'm1'));
    pages.length = 0;
    await iterate();
    expect(pages).toEqual(['first', 'last']);
    expect(handler.seen.map((s) => new URLSearchParams(s.body).get('Marker'))).toEqual([
      null,
      null,
      'm1',
    ]);
  });

  it('waits for a slot with a blocking limit, and the abort signal of send cancels the wait', async () => {
    const ra = new RegionalAccount(limit(1, true), fakeAccount(), 'eu-west-1');
    const handler = new FakeHandler(() => callerIdentity());
    const sts = stsWith(ra, handler);
    await sts.send(new GetCallerIdentityCommand({}));
    const controller = new AbortController();
    const waiting = sts.send(new GetCallerIdentityCommand({}), { abortSignal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ra.ratelimit.stats.waiting).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(ra.ratelimit.stats.waiting).toBe(0);
    expect(handler.seen).toHaveLength(1);
  });

  it('builds clients in standard retry mode with maxAttempts 10 by default, configurable', async () => {
    const ra = new RegionalAccount(limit(10), fakeAccount(), 'eu-west-1');
    const sts = ra.client(STSClient);
    expect(await sts.config.maxAttempts()).toBe(10);
    expect(await sts.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(await sts.config.region()).toBe('eu-west-1');
    const five = new RegionalAccount(limit(10), fakeAccount(), 'eu-west-1', { maxAttempts: 5 });
    expect(await five.client(STSClient).config.maxAttempts()).toBe(5);
    expect(
      () => new RegionalAccount(limit(1), fakeAccount(), 'eu-west-1', { maxAttempts: 0 }),
    ).toThrow(RangeError);
  });

  it('caches one client per class and configuration', () => {
    const ra = new RegionalAccount(limit(10), fakeAccount(), 'eu-west-1');
    expect(ra.client(STSClient)).toBe(ra.client(STSClient));
    expect(ra.client(STSClient, { maxAttempts: 3 })).not.toBe(ra.client(STSClient));
    expect(ra.client(STSClient, { maxAttempts: 3 })).toBe(ra.client(STSClient, { maxAttempts: 3 }));
  });
});

describe('the service id a client is limited and reported under', () => {
  it("is the client's resolved serviceId in the package-name form, else its class name without Client", () => {
    class CloudWatchLogsClient {}
    class WidgetClient {}
    expect(serviceIdOf({ config: { serviceId: 'CloudWatch Logs' } }, CloudWatchLogsClient)).toBe(
      'cloudwatch-logs',
    );
    expect(serviceIdOf({ config: {} }, WidgetClient)).toBe('widget');
    expect(serviceIdOf(new STSClient({ region: 'us-east-1' }), STSClient)).toBe('sts');
  });
});

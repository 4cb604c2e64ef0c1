import { EventEmitter } from 'node:events';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Account } from '@cs/account';
import { RateLimitProperties } from '@cs/ratelimit';
import { describe, expect, it, vi } from 'vitest';
import { RegionalAccount } from '../src/index';
import type { RegionalAccountEventMap } from '../src/index';
import {
  FakeHandler,
  ManualClock,
  callerIdentity,
  fakeAccount,
  noDelayRetries,
  throttling,
  unavailable,
} from './helpers';

type Seen = {
  [K in keyof RegionalAccountEventMap]: [K, RegionalAccountEventMap[K]];
}[keyof RegionalAccountEventMap];

const record = (ra: RegionalAccount): Seen[] => {
  const seen: Seen[] = [];
  for (const name of ['request', 'retry', 'throttled', 'rate-limit-wait'] as const) {
    ra.on(name, (e) => seen.push([name, e] as Seen));
  }
  return seen;
};

describe('events and logging', () => {
  it('reports each attempt, each retry and each throttling answer', async () => {
    const logger = { warn: vi.fn(), debug: vi.fn() };
    const ra = new RegionalAccount(new RateLimitProperties(), fakeAccount(), 'eu-west-2', {
      logger,
    });
    const seen = record(ra);
    const handler = new FakeHandler(() => callerIdentity());
    handler.queue.push(throttling(), unavailable());
    await ra
      .client(STSClient, { requestHandler: handler, retryStrategy: noDelayRetries() })
      .send(new GetCallerIdentityCommand({}));
    const target = { region: 'eu-west-2', service: 'sts', operation: 'GetCallerIdentity' };
    expect(seen).toEqual([
      ['request', { ...target, attempt: 1 }],
      ['throttled', { ...target, attempt: 1, code: 'Throttling' }],
      ['retry', { ...target, attempt: 2 }],
      ['request', { ...target, attempt: 2 }],
      ['retry', { ...target, attempt: 3 }],
      ['request', { ...target, attempt: 3 }],
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      'throttled by AWS: sts:GetCallerIdentity in eu-west-2 (attempt 1)',
      expect.objectContaining({ code: 'Throttling' }),
    );
    expect(logger.debug).toHaveBeenCalledTimes(2);
  });

  it('reports the time a request waited for its slots, on the injected clock', async () => {
    const clock = new ManualClock();
    const ra = new RegionalAccount(
      new RateLimitProperties({ maxCount: 1, interval: 40, block: true, clock }),
      fakeAccount(),
      'eu-west-2',
      { clock },
    );
    const waits: number[] = [];
    ra.on('rate-limit-wait', ({ waitedMs }) => waits.push(waitedMs));
    const sts = ra.client(STSClient, { requestHandler: new FakeHandler(() => callerIdentity()) });
    await sts.send(new GetCallerIdentityCommand({}));
    const second = sts.send(new GetCallerIdentityCommand({}));
    await expect.poll(() => ra.ratelimit.stats.waiting).toBe(1);
    clock.advance(40);
    await second;
    expect(waits).toEqual([40]);
  });

  it("forwards the session's credentials-refresh while someone listens, and unsubscribes after", () => {
    const session = Object.assign(new EventEmitter(), { region: 'us-east-1' });
    const account = { session: () => session } as unknown as Account;
    const ra = new RegionalAccount(new RateLimitProperties(), account);
    expect(ra.region()).toBe('us-east-1');
    expect(session.listenerCount('credentials-refresh')).toBe(0);
    const listener = vi.fn();
    ra.on('credentials-refresh', listener);
    const event = {
      roleArn: 'arn:aws:iam::123456789012:role/Admin',
      hop: 0,
      expiration: new Date(0),
    };
    session.emit('credentials-refresh', event);
    expect(listener).toHaveBeenCalledWith(event);
    ra.off('credentials-refresh', listener);
    expect(session.listenerCount('credentials-refresh')).toBe(0);
  });

  it('logs a listener that throws instead of failing the request', async () => {
    const logger = { error: vi.fn() };
    const ra = new RegionalAccount(new RateLimitProperties(), fakeAccount(), 'eu-west-2', {
      logger,
    });
    ra.on('request', () => {
      throw new Error('listener bug');
    });
    const sts = ra.client(STSClient, { requestHandler: new FakeHandler(() => callerIdentity()) });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: '123456789012',
    });
    expect(logger.error).toHaveBeenCalledWith('a listener of the request event threw', {
      error: 'listener bug',
    });
  });

  it('needs a region: the given one, else the session’s, else where the SDK looks', () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/cs-aws-test/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/cs-aws-test/credentials');
    expect(() => new RegionalAccount(new RateLimitProperties(), fakeAccount(''))).toThrow(
      /a RegionalAccount needs a region and none was found \(looked at: the session \(region_name\); AWS_REGION; region of profile "default" in \/nonexistent\/cs-aws-test\/config;/,
    );
    vi.stubEnv('AWS_REGION', 'me-south-1');
    expect(new RegionalAccount(new RateLimitProperties(), fakeAccount('')).region()).toBe(
      'me-south-1',
    );
    expect(
      new RegionalAccount(new RateLimitProperties(), fakeAccount('ca-central-1')).region(),
    ).toBe('ca-central-1');
    expect(
      () =>
        new RegionalAccount('limit' as unknown as RateLimitProperties, fakeAccount(), 'us-east-1'),
    ).toThrow(/ratelimit must be a RateLimitProperties/);
  });
});

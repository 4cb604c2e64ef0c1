import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from '../src/internal/AdaptiveLimiter';
import type { AdaptiveChange } from '../src/internal/AdaptiveLimiter';
import { RegionalAccount } from '../src/index';
import type { AdaptiveRateEvent } from '../src/index';
import {
  FakeHandler,
  ManualClock,
  callerIdentity,
  fakeAccount,
  noDelayRetries,
  throttling,
} from './helpers';

const setup = (configured = { maxCount: 100, interval: 1000, block: true }) => {
  const clock = new ManualClock();
  const changes: AdaptiveChange[] = [];
  const limiter = new AdaptiveLimiter(
    () => configured,
    { decrease: 0.5, increase: 10 },
    clock,
    (c) => changes.push(c),
  );
  return { clock, changes, limiter, configured };
};

describe('adaptive mode', () => {
  it('drops the rate multiplicatively from the rate actually sent on a throttling answer', async () => {
    const { limiter, changes, configured } = setup();
    for (let i = 0; i < 40; i++) await limiter.acquire(undefined);
    limiter.throttled(0);
    expect(limiter.rate).toBe(20);
    expect(changes).toEqual([{ reason: 'decrease', maxCount: 20, interval: 1000 }]);
    expect(configured).toEqual({ maxCount: 100, interval: 1000, block: true });
  });

  it('ignores throttling answers to requests sent before the last decrease, then cuts from the reduced rate', async () => {
    const { limiter, clock } = setup();
    const sentAt = await limiter.acquire(undefined);
    for (let i = 0; i < 39; i++) await limiter.acquire(undefined);
    clock.advance(1);
    limiter.throttled(sentAt);
    limiter.throttled(sentAt);
    expect(limiter.rate).toBe(20);
    clock.advance(1000);
    const late = await limiter.acquire(undefined);
    expect(limiter.rate).toBe(30);
    limiter.throttled(late);
    expect(limiter.rate).toBe(15);
  });

  it('recovers additively, one step per interval, and stops constraining at the configured limit', async () => {
    const { limiter, clock, changes } = setup();
    for (let i = 0; i < 40; i++) await limiter.acquire(undefined);
    limiter.throttled(0);
    clock.advance(1000);
    await limiter.acquire(undefined);
    expect(limiter.rate).toBe(30);
    clock.advance(2500);
    await limiter.acquire(undefined);
    expect(limiter.rate).toBe(50);
    clock.advance(5000);
    await limiter.acquire(undefined);
    expect(limiter.rate).toBeUndefined();
    expect(changes.map((c) => c.reason)).toEqual(['decrease', 'increase', 'increase', 'recovered']);
  });

  it('holds requests to the reduced rate: a blocking acquisition waits for the window', async () => {
    const { limiter, clock } = setup();
    for (let i = 0; i < 4; i++) await limiter.acquire(undefined);
    limiter.throttled(0); // measured 4 → rate 2
    expect(limiter.rate).toBe(2);
    let granted = false;
    const waiting = limiter.acquire(undefined).then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    clock.advance(1000);
    await waiting;
    expect(granted).toBe(true);
  });

  it('rejects with RateLimitExceeded past the reduced rate when the configured limit is non-blocking', async () => {
    const { limiter } = setup({ maxCount: 100, interval: 1000, block: false });
    for (let i = 0; i < 4; i++) await limiter.acquire(undefined);
    limiter.throttled(0);
    const error = await limiter.acquire(undefined).catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
  });

  it('refuses invalid settings', () => {
    const clock = new ManualClock();
    const configured = () => ({ maxCount: 1, interval: 1, block: false });
    expect(() => new AdaptiveLimiter(configured, { decrease: 1 }, clock, () => {})).toThrow(
      /decrease/,
    );
    expect(() => new AdaptiveLimiter(configured, { increase: 0 }, clock, () => {})).toThrow(
      /increase/,
    );
    expect(() => new AdaptiveLimiter(configured, { minCount: 0 }, clock, () => {})).toThrow(
      /minCount/,
    );
  });

  it('is layered under a RegionalAccount: throttling lowers the effective rate, never the user limit', async () => {
    const clock = new ManualClock();
    const user = new RateLimitProperties({ maxCount: 50, interval: 1000, block: true, clock });
    const ra = new RegionalAccount(user, fakeAccount(), 'eu-central-1', {
      adaptive: { decrease: 0.5 },
      clock,
    });
    const events: AdaptiveRateEvent[] = [];
    ra.on('adaptive', (e) => events.push(e));
    const handler = new FakeHandler(() => callerIdentity());
    const sts = ra.client(STSClient, { requestHandler: handler, retryStrategy: noDelayRetries() });
    for (let i = 0; i < 7; i++) await sts.send(new GetCallerIdentityCommand({}));
    handler.queue.push(throttling());
    const throttled = sts.send(new GetCallerIdentityCommand({}));
    // 8 sent in the window when the throttle came back: 8 × 0.5 = 4, so the retry waits.
    await expect.poll(() => ra.adaptiveMaxCount).toBe(4);
    clock.advance(1000);
    await throttled;
    expect(ra.adaptiveMaxCount).toBe(5);
    expect(events).toEqual([
      { region: 'eu-central-1', reason: 'decrease', maxCount: 4, interval: 1000 },
      { region: 'eu-central-1', reason: 'increase', maxCount: 5, interval: 1000 },
    ]);
    expect(user.maxCount).toBe(50);
    expect(ra.ratelimit).toBe(user);
    expect(handler.seen).toHaveLength(9);
  });
});

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from '../src/account/limits/AdaptiveLimiter';
import type { AdaptiveChange } from '../src/account/limits/AdaptiveLimiter';
import { RegionalAccount } from '../src/index';
import type { AdaptiveRateEvent } from '../src/index';
import {
  FakeHandler,
  ManualClock,
  callerIdentity,
  fakeAccount,
  noDelayRetries,
  queryError,
  throttling,
  unavailable,
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
  /** Takes `n` slots, one every `every` ms (10 ms: the pace of the configured 100/s). */
  const send = async (n: number, every = 10): Promise<number> => {
    let last = 0;
    for (let i = 0; i < n; i++) {
      last = await limiter.acquire(undefined);
      clock.advance(every);
    }
    return last;
  };
  return { clock, changes, limiter, configured, send };
};

describe('adaptive mode', () => {
  it('drops the rate multiplicatively from the rate actually sent on a throttling answer', async () => {
    const { limiter, changes, configured, send } = setup();
    await send(40);
    limiter.throttled(0);
    expect(limiter.rate).toBe(20);
    expect(changes).toEqual([{ reason: 'decrease', maxCount: 20, interval: 1000 }]);
    expect(configured).toEqual({ maxCount: 100, interval: 1000, block: true });
  });

  it('ignores throttling answers to requests sent before the last decrease, then cuts from the reduced rate', async () => {
    const { limiter, clock, send } = setup();
    const sentAt = await send(1);
    await send(39);
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
    const { limiter, clock, changes, send } = setup();
    await send(40);
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

  it('cuts from the answers AWS accepted in the last interval when fewer than were sent', async () => {
    const { limiter, clock, send } = setup();
    await send(40);
    for (let i = 0; i < 12; i++) limiter.accepted();
    limiter.throttled(0);
    expect(limiter.rate).toBe(6);
    // Accepted answers older than one interval no longer count.
    clock.advance(1000);
    const late = await send(1);
    expect(limiter.rate).toBe(16);
    limiter.throttled(late);
    expect(limiter.rate).toBe(8);
  });

  it('paces a blocking limit: one request every interval / rate, never a burst', async () => {
    const { limiter, clock } = setup();
    await limiter.acquire(undefined);
    let granted = false;
    const second = limiter.acquire(undefined).then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    clock.advance(9);
    await Promise.resolve();
    expect(granted).toBe(false);
    clock.advance(1);
    await second;
    expect(granted).toBe(true);
  });

  it('paces a high rate in windows of 5 ms, not below what timers can wait', async () => {
    const { limiter, clock } = setup({ maxCount: 10_000, interval: 1000, block: true });
    // 10,000/s: 50 per 5 ms window, granted at once; the 51st waits for the next window.
    for (let i = 0; i < 50; i++) await limiter.acquire(undefined);
    let granted = false;
    const next = limiter.acquire(undefined).then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    clock.advance(5);
    await next;
    expect(granted).toBe(true);
  });

  it('holds requests to the reduced rate: a blocking acquisition waits for its turn', async () => {
    const { limiter, clock, send } = setup();
    await send(4);
    limiter.throttled(0); // measured 4 → rate 2: one request every 500 ms
    expect(limiter.rate).toBe(2);
    let granted = false;
    const waiting = limiter.acquire(undefined).then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    clock.advance(500);
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
    // 50/s blocking is paced at one request every 20 ms.
    for (let i = 0; i < 7; i++) {
      await sts.send(new GetCallerIdentityCommand({}));
      clock.advance(20);
    }
    handler.queue.push(throttling());
    const throttled = sts.send(new GetCallerIdentityCommand({}));
    // 8 sent and 7 accepted in the window when the throttle came back: 7 × 0.5 = 3.5, so the
    // retry waits for the pace of 3.5/s.
    await expect.poll(() => ra.adaptiveMaxCount).toBe(3);
    clock.advance(1000);
    await throttled;
    expect(ra.adaptiveMaxCount).toBe(4);
    expect(events).toEqual([
      { region: 'eu-central-1', reason: 'decrease', maxCount: 3, interval: 1000 },
      { region: 'eu-central-1', reason: 'increase', maxCount: 4, interval: 1000 },
    ]);
    expect(user.maxCount).toBe(50);
    expect(ra.ratelimit).toBe(user);
    expect(handler.seen).toHaveLength(9);
  });

  it('counts successes and 4xx answers as accepted by AWS, not 5xx faults', async () => {
    const clock = new ManualClock();
    const user = new RateLimitProperties({ maxCount: 100, interval: 1000, block: true, clock });
    const ra = new RegionalAccount(user, fakeAccount(), 'eu-central-1', {
      adaptive: { decrease: 0.5 },
      clock,
    });
    const handler = new FakeHandler(() => callerIdentity());
    const sts = ra.client(STSClient, { requestHandler: handler, retryStrategy: noDelayRetries(1) });
    const send = async (): Promise<void> => {
      await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
      clock.advance(10);
    };
    // 10 sent: 4 successes, 2 access denied (accepted), 3 faults (not accepted), then a throttle.
    for (let i = 0; i < 4; i++) await send();
    handler.queue.push(
      queryError(403, 'AccessDenied', 'no'),
      queryError(403, 'AccessDenied', 'no'),
    );
    for (let i = 0; i < 2; i++) await send();
    handler.queue.push(unavailable(), unavailable(), unavailable());
    for (let i = 0; i < 3; i++) await send();
    handler.queue.push(throttling());
    await send();
    // min(10 sent, 6 accepted) × 0.5 = 3
    expect(ra.adaptiveMaxCount).toBe(3);
    expect(handler.seen).toHaveLength(10);
  });
});

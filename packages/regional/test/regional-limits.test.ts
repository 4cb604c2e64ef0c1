import { RateLimitConfigError, RateLimitProperties, isRateLimitExceeded } from '@cs/ratelimit';
import { describe, expect, it } from 'vitest';
import { RegionalLimits } from '../src/account/limits/RegionalLimits';
import type { LimitedAttempt, RegionalLimitsOptions } from '../src/account/limits/RegionalLimits';
import type { RegionalAccountEventMap } from '../src/index';
import { ManualClock } from './helpers';

type Emitted = {
  [K in keyof RegionalAccountEventMap]: [K, RegionalAccountEventMap[K]];
}[keyof RegionalAccountEventMap];

const setup = (
  ratelimit: RateLimitProperties,
  options: Partial<Omit<RegionalLimitsOptions, 'clock' | 'emit'>> = {},
  clock = new ManualClock(),
) => {
  const events: Emitted[] = [];
  const limits = new RegionalLimits(ratelimit, {
    region: 'eu-west-1',
    ...options,
    clock,
    emit: (event, payload) => events.push([event, payload] as Emitted),
  });
  return { limits, events, clock };
};

const attempt = (overrides: Partial<LimitedAttempt> = {}): LimitedAttempt => ({
  service: 'iam',
  operation: 'ListRoles',
  attempt: 1,
  signal: undefined,
  ...overrides,
});

/** An error as the SDK throws for an answer of AWS with `status` and `code`. */
const awsError = (status: number, code: string): Error =>
  Object.assign(new Error(code), { name: code, $metadata: { httpStatusCode: status } });

const limit = (maxCount: number, block = false, clock?: ManualClock): RateLimitProperties =>
  new RateLimitProperties({ maxCount, interval: 60_000, block, ...(clock ? { clock } : {}) });

describe('RegionalLimits', () => {
  it('keys operation limits by normalized name and gives the operation one before the service one', () => {
    const shared = limit(10);
    const { limits } = setup(limit(10), {
      operationLimits: {
        'IAM:list_roles': { max_count: 5, interval: 1 },
        iam: { max_count: 50, interval: 1 },
        'sts:GetCallerIdentity': shared,
        sts: shared,
      },
    });
    expect([...limits.operationLimits.keys()].sort()).toEqual([
      'iam',
      'iam:listroles',
      'sts',
      'sts:getcalleridentity',
    ]);
    const [byOperation, byService] = limits.limitsFor('iam', 'ListRoles');
    expect(byOperation?.maxCount).toBe(5);
    expect(byService?.maxCount).toBe(50);
    expect(limits.limitsFor('iam', 'ListUsers')).toEqual([limits.operationLimits.get('iam')]);
    // One limit configured under both keys is taken once.
    expect(limits.limitsFor('sts', 'GetCallerIdentity')).toEqual([shared]);
    expect(limits.limitsFor('ec2', 'DescribeRegions')).toEqual([]);
  });

  it('takes a slot from the operation, service and region limits, the region last', async () => {
    const region = limit(10);
    const { limits } = setup(region, {
      operationLimits: { 'iam:ListRoles': limit(1), iam: limit(10) },
    });
    await limits.take(attempt());
    expect(limits.operationLimits.get('iam:listroles')?.stats.granted).toBe(1);
    expect(limits.operationLimits.get('iam')?.stats.granted).toBe(1);
    expect(region.stats.granted).toBe(1);
    // The operation limit is spent: the attempt fails before it reaches the service and region.
    const error = await limits.take(attempt()).catch((e: unknown) => e);
    expect(isRateLimitExceeded(error)).toBe(true);
    expect(limits.operationLimits.get('iam')?.stats.granted).toBe(1);
    expect(region.stats.granted).toBe(1);
  });

  it('reads the region limit at each attempt: a replaced limit applies to the next one', async () => {
    const { limits } = setup(limit(1));
    await limits.take(attempt());
    await expect(limits.take(attempt())).rejects.toSatisfy(isRateLimitExceeded);
    const replacement = limit(5);
    limits.ratelimit = replacement;
    await limits.take(attempt());
    expect(replacement.stats.granted).toBe(1);
    expect(() => {
      limits.ratelimit = { maxCount: 1 } as unknown as RateLimitProperties;
    }).toThrow(TypeError);
    expect(limits.ratelimit).toBe(replacement);
  });

  it('refuses a region limit that is not a RateLimitProperties and an invalid operation spec', () => {
    expect(() => setup(null as unknown as RateLimitProperties)).toThrow(/got null/);
    expect(() => setup(limit(1), { operationLimits: { iam: { max_count: -1 } } })).toThrow(
      RateLimitConfigError,
    );
    expect(() => setup(limit(1), { adaptive: { decrease: 2 } })).toThrow(RangeError);
  });

  it('emits retry before waiting, rate-limit-wait with the time waited on its clock, then request', async () => {
    const clock = new ManualClock();
    const { limits, events } = setup(limit(1, true, clock), {}, clock);
    const first = await limits.take(attempt());
    expect(first).toEqual({
      request: { region: 'eu-west-1', service: 'iam', operation: 'ListRoles', attempt: 1 },
      sentAt: 0,
    });
    expect(events).toEqual([
      ['request', { region: 'eu-west-1', service: 'iam', operation: 'ListRoles', attempt: 1 }],
    ]);
    events.length = 0;
    const second = limits.take(attempt({ attempt: 2 }));
    await Promise.resolve();
    expect(events.map(([name]) => name)).toEqual(['retry']);
    clock.advance(60_000);
    await second;
    const target = { region: 'eu-west-1', service: 'iam', operation: 'ListRoles', attempt: 2 };
    expect(events).toEqual([
      ['retry', target],
      ['rate-limit-wait', { ...target, waitedMs: 60_000 }],
      ['request', target],
    ]);
  });

  it("cancels the wait for a slot with the attempt's signal", async () => {
    const clock = new ManualClock();
    const { limits, events } = setup(limit(1, true, clock), {}, clock);
    await limits.take(attempt());
    const controller = new AbortController();
    const waiting = limits.take(attempt({ signal: controller.signal }));
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(events.filter(([name]) => name === 'request')).toHaveLength(1);
  });

  it('reports a throttling answer and, in adaptive mode, lowers the rate from what AWS accepted', async () => {
    const clock = new ManualClock();
    const { limits, events } = setup(
      new RateLimitProperties({ maxCount: 100, interval: 1000, clock }),
      { adaptive: { decrease: 0.5 } },
      clock,
    );
    const admissions = [];
    for (let i = 0; i < 10; i++) admissions.push(await limits.take(attempt()));
    // Accepted by AWS: a success and the answers below 500; a fault (503) counts for nothing.
    limits.succeeded();
    for (const a of admissions.slice(0, 3)) limits.failed(a, awsError(403, 'AccessDenied'));
    for (const a of admissions.slice(3, 6)) limits.failed(a, awsError(503, 'ServiceUnavailable'));
    expect(limits.adaptiveMaxCount).toBeUndefined();
    const last = admissions[9]!;
    limits.failed(last, awsError(400, 'Throttling'));
    // 4 accepted of 10 sent, halved.
    expect(limits.adaptiveMaxCount).toBe(2);
    expect(events.filter(([name]) => name !== 'request')).toEqual([
      ['throttled', { ...last.request, code: 'Throttling' }],
      ['adaptive', { region: 'eu-west-1', reason: 'decrease', maxCount: 2, interval: 1000 }],
    ]);
  });

  it('without adaptive mode, reports a throttling answer and keeps no adaptive rate', async () => {
    const { limits, events } = setup(limit(10));
    const admission = await limits.take(attempt({ attempt: 3 }));
    expect(admission.sentAt).toBe(0);
    limits.failed(admission, awsError(429, 'TooManyRequestsException'));
    expect(events.at(-1)).toEqual([
      'throttled',
      { ...admission.request, code: 'TooManyRequestsException' },
    ]);
    expect(limits.adaptiveMaxCount).toBeUndefined();
  });
});

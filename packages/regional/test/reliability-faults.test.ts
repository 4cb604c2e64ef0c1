/**
 * Fault suite (issue 9), server faults: 5xx, dropped connections and a throttling storm during
 * fan-outs on aws-local. Every target ends exactly once, as succeeded or failed with its error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RegionalAccount } from '../src/index';
import {
  ACCOUNTS,
  REGIONS,
  buildSet,
  closeAll,
  describeInstances,
  expectEveryTargetOnce,
  figures,
  maxInWindow,
  start,
} from './reliability-fixture';

afterEach(closeAll);

describe('fault suite on aws-local: server faults', () => {
  it('5xx and dropped connections on 200 targets: every target ends once, retries within the rate limit', async () => {
    const aws = await start();
    const N = 2;
    const INTERVAL = 1000;
    const set = buildSet(aws, {
      RateLimit: { max_count: N, interval: INTERVAL / 1000, block: true },
      MaxAttempts: 2,
    });
    // Client-side time of every attempt (emitted when the limit granted it), per target.
    const attempts = new Map<RegionalAccount, number[]>();
    for (const ra of set) {
      const times: number[] = [];
      attempts.set(ra, times);
      ra.on('request', () => times.push(performance.now()));
    }
    // Warm the clients and sockets up without faults, then inject and start counting.
    await set.map(
      (ra, signal) => ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
      {
        concurrency: 50,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, INTERVAL));
    for (const times of attempts.values()) times.length = 0;
    aws.resetStats();
    aws.inject.fault({ fault: 500, probability: 0.05, service: 'ec2' });
    aws.inject.fault({ fault: 503, probability: 0.05, service: 'ec2' });
    aws.inject.fault({ fault: 'drop', probability: 0.05, service: 'ec2' });

    // As many calls as the limit grants per interval: a target without faults never waits, and
    // every retry has to wait for the window, which is what this checks.
    const CALLS = N;
    const report = await set.map(
      async (ra, signal) => {
        const pages = await Promise.all(
          Array.from({ length: CALLS }, () => describeInstances(ra, signal)),
        );
        return pages.length;
      },
      { concurrency: 25 },
    );
    aws.inject.clear();
    const stats = aws.stats;

    expectEveryTargetOnce(report, set, ACCOUNTS, REGIONS);
    const failed = report.results.filter((r) => !r.ok);
    expect(stats.faults).toBeGreaterThan(50);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(200);
    // Each failure is one of the injected faults: a 5xx answered twice (its EC2 code, in a message
    // naming the account and region), or a dropped connection (class network).
    for (const r of failed) {
      if (r.ok) continue;
      if (r.errorClass === 'network') continue;
      expect(r.errorClass).toBe('other');
      expect(r.errorCode).toMatch(/^(InternalError|Unavailable)$/);
      expect((r.error as Error).message).toContain(r.accountId!);
      expect((r.error as Error).message).toContain(r.region!);
    }
    // On the wire: a succeeded target had exactly CALLS successful answers (nothing done twice,
    // nothing dropped silently); each attempt the client made reached the server once.
    let spreadMax = 0;
    for (const [ra, times] of attempts) {
      const result = report.results.find((r) => r.target === ra)!;
      const filter = { service: 'ec2', account: result.accountId!, region: ra.region() };
      const entries = stats.log.filter(
        (e) => e.service === 'ec2' && e.account === filter.account && e.region === filter.region,
      );
      expect(entries).toHaveLength(times.length);
      const ok = entries.filter((e) => e.status === 200).length;
      if (result.ok) expect(ok).toBe(CALLS);
      else expect(ok).toBeLessThan(CALLS);
      // Retries included, the limit granted at most N attempts in any interval...
      expect(maxInWindow(times, INTERVAL)).toBeLessThanOrEqual(N);
      // ...and on the wire: an arrival lags its grant (signing, sockets, and the event loop this
      // process shares with the server), so arrivals within any window W were granted within
      // W + spread (spread: largest less smallest lag, k-th arrival matched with the k-th grant),
      // which the sliding window bounds to N * ceil((W + spread) / INTERVAL).
      const arrivals = entries.map((e) => e.time).sort((a, b) => a - b);
      const lags = arrivals.map((t, k) => t - times[k]!);
      const spread = Math.max(...lags) - Math.min(...lags);
      spreadMax = Math.max(spreadMax, spread);
      expect(aws.maxRequestsInWindow(INTERVAL, filter)).toBeLessThanOrEqual(
        N * Math.ceil((INTERVAL + spread) / INTERVAL),
      );
    }
    figures('faults-5xx-drop', {
      targets: report.results.length,
      ec2Requests: stats.byOperation['ec2:DescribeInstances'],
      faultsInjected: stats.faults,
      failedTargets: failed.length,
      byClass: report.summary.byClass,
      lagSpreadMaxMs: Math.round(spreadMax),
      lost: 0,
    });
  });

  it('a throttling storm (server limit far below the client limit): adaptive mode converges, no target lost', async () => {
    const aws = await start();
    const accounts = ACCOUNTS.slice(0, 2);
    const regions = REGIONS.slice(0, 5);
    const SERVER_RPS = 5;
    const set = buildSet(
      aws,
      {
        accounts,
        RateLimit: { max_count: 40, interval: 1, block: true },
        Adaptive: { interval: 1000 },
      },
      regions,
    );
    aws.inject.rateLimit({ requestsPerSecond: SERVER_RPS, burst: SERVER_RPS, service: 'ec2' });
    const CALLS = 15;
    const report = await set.map(
      async (ra, signal) => {
        const pages = await Promise.all(
          Array.from({ length: CALLS }, () => describeInstances(ra, signal)),
        );
        return pages.length;
      },
      { concurrency: 10 },
    );
    const stats = aws.stats;
    expectEveryTargetOnce(report, set, accounts, regions);
    expect(report.summary.failed).toBe(0);
    // Adaptive mode converges: of the requests as the server received them, in order, few are
    // throttled in all, and the last third holds at most 5 % throttled answers. (With a fixed
    // client limit of 40/s against the server's 5/s, most requests would be throttled.) Counted
    // by order of arrival rather than by wall-clock thirds, so that a stalled event loop on a
    // busy machine, which stretches the run's time but not its order, cannot decide the outcome.
    const received = stats.log
      .filter((e) => e.service === 'ec2' && e.operation === 'DescribeInstances')
      .sort((a, b) => a.time - b.time);
    const third = Math.floor(received.length / 3);
    const throttledIn = (entries: typeof received) =>
      entries.filter((e) => e.code === 'RequestLimitExceeded').length;
    const first = throttledIn(received.slice(0, third));
    const last = throttledIn(received.slice(received.length - third));
    expect(stats.throttled).toBeGreaterThan(0);
    expect(throttledIn(received)).toBe(stats.throttled);
    expect(stats.throttled).toBeLessThan(received.length / 4);
    expect(last).toBeLessThanOrEqual(third * 0.05);
    // The successful calls: exactly CALLS per target.
    expect(stats.byOperation['ec2:DescribeInstances']! - stats.throttled).toBe(
      CALLS * accounts.length * regions.length,
    );
    figures('throttling-storm', {
      targets: report.results.length,
      serverRps: SERVER_RPS,
      clientRps: 40,
      requests: stats.byOperation['ec2:DescribeInstances'],
      throttled: stats.throttled,
      throttledFirstThird: first,
      throttledLastThird: last,
      failedTargets: report.summary.failed,
      lost: 0,
    });
  });
});

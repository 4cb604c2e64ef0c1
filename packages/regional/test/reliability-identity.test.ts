/**
 * Fault suite (issue 9), identity and control faults during fan-outs on aws-local: revoked keys,
 * expired sessions, removed role trust, a disabled region, a slow endpoint and an aborted run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RegionalAccountSet } from '../src/index';
import {
  ACCOUNTS,
  REGIONS,
  buildSet,
  closeAll,
  count,
  describeInstances,
  expectEveryTargetOnce,
  figures,
  keyOf,
  start,
} from './reliability-fixture';

afterEach(closeAll);

describe('fault suite on aws-local: identity and control faults', () => {
  it('revoked keys and expired sessions mid-run: the targets after it fail with a clear, classified error', async () => {
    const aws = await start();
    const accounts = ACCOUNTS.slice(0, 4);
    // Accounts 0 and 1 by their own keys, 2 and 3 through the role Audit from the management account.
    const direct = buildSet(aws, { accounts: accounts.slice(0, 2) }, REGIONS.slice(0, 5));
    const viaRole = buildSet(
      aws,
      { accounts: accounts.slice(2), viaRole: true },
      REGIONS.slice(0, 5),
    );
    const set = new RegionalAccountSet(...direct.values(), ...viaRole.values());
    let done = 0;
    const report = await set.map(
      async (ra, signal) => {
        await describeInstances(ra, signal);
        done += 1;
        // Mid-run: account 0's key is revoked in its second target, and every session issued so
        // far (the role sessions of accounts 2 and 3) expires in account 2's second target.
        if (done === 2)
          aws.model.revokeAccessKey(keyOf(ACCOUNTS.indexOf(accounts[0]!)).accessKeyId);
        if (done === 12) aws.model.expireSessions();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return describeInstances(ra, signal);
      },
      { concurrency: 1 },
    );
    expectEveryTargetOnce(report, set, accounts, REGIONS.slice(0, 5));
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      if (r.ok) continue;
      if (r.accountId === accounts[0]) expect(r.errorClass).toBe('invalid-credentials');
      else {
        expect(r.accountId === accounts[2] || r.accountId === accounts[3]).toBe(true);
        expect(r.errorClass).toBe('expired-credentials');
      }
      // The message names the account and region, and what to do.
      expect((r.error as Error).message).toContain(r.accountId!);
      expect((r.error as Error).message).toContain(r.region!);
    }
    // Account 1 (its own long-lived key, not revoked) never failed.
    expect(count(report.results, (r) => r.accountId === accounts[1] && !r.ok)).toBe(0);
    figures('revoked-expired', {
      targets: report.results.length,
      failedTargets: failed.length,
      byClass: report.summary.byClass,
      lost: 0,
    });
  });

  it('a role whose trust is removed mid-run: calls go on while its credentials last, then fail clearly', async () => {
    const aws = await start(3);
    const accounts = ACCOUNTS.slice(0, 2);
    const regions = REGIONS.slice(0, 3);
    const set = buildSet(aws, { accounts, viaRole: true }, regions);
    let trustRemovedAt = Infinity;
    const callsAfter: { ok: boolean; at: number }[] = [];
    const report = await set.map(
      async (ra, signal) => {
        // Each target calls for 4.5 s, past the 3 s lifetime of the role's first session.
        const until = performance.now() + 4500;
        while (performance.now() < until) {
          if (trustRemovedAt === Infinity) {
            aws.model.setRoleTrust(accounts[0]!, 'Audit', []);
            trustRemovedAt = performance.now();
          }
          try {
            await describeInstances(ra, signal);
            callsAfter.push({ ok: true, at: performance.now() });
          } catch (error) {
            callsAfter.push({ ok: false, at: performance.now() });
            throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return 'ok';
      },
      { concurrency: 6 },
    );
    expectEveryTargetOnce(report, set, accounts, regions);
    // Account 0's role refused: its targets failed, the refusal named (AccessDenied on the role,
    // through CredentialsExpiredError). A request signed just before the credentials stopped being
    // served (10 s or 5 % of the lifetime before expiry) can still arrive expired when the event
    // loop lags by more than that, as it may on a loaded CI machine: then RequestExpired.
    const refused = report.results.filter((x) => x.accountId === accounts[0]);
    expect(refused).toHaveLength(regions.length);
    for (const r of refused) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(['access-denied', 'expired-credentials']).toContain(r.errorClass);
      expect((r.error as Error).message).toMatch(/role\/Audit.*AccessDenied|RequestExpired/s);
    }
    expect(
      refused.some((r) => !r.ok && /role\/Audit.*AccessDenied/s.test((r.error as Error).message)),
    ).toBe(true);
    // Account 1's role still trusts the management account: all its targets succeeded.
    expect(count(report.results, (r) => r.accountId === accounts[1] && r.ok)).toBe(regions.length);
    // Calls went on succeeding after the trust was removed, while the old credentials lasted.
    expect(callsAfter.filter((c) => c.ok && c.at > trustRemovedAt + 500).length).toBeGreaterThan(0);
    figures('role-trust-removed', {
      targets: report.results.length,
      failedTargets: report.summary.failed,
      byClass: report.summary.byClass,
      lost: 0,
    });
  });

  it('a region disabled mid-run: its targets fail with the region hint, the others succeed', async () => {
    const aws = await start();
    const accounts = ACCOUNTS.slice(0, 5);
    const set = buildSet(aws, { accounts }, REGIONS);
    let started = 0;
    const report = await set.map(
      async (ra, signal) => {
        started += 1;
        if (started === 10)
          for (const a of accounts) aws.model.setRegionEnabled(a, 'eu-west-3', false);
        return describeInstances(ra, signal);
      },
      { concurrency: 4 },
    );
    expectEveryTargetOnce(report, set, accounts, REGIONS);
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.region).toBe('eu-west-3');
      if (r.ok) continue;
      expect(r.errorCode).toBe('AuthFailure');
      expect((r.error as Error).message).toMatch(/region is not enabled|not enabled/i);
    }
    figures('region-disabled', {
      targets: report.results.length,
      failedTargets: failed.length,
      byClass: report.summary.byClass,
      lost: 0,
    });
  });

  it('a slow endpoint with per-call timeouts, then the run aborted: everything stops promptly, partial results, nothing left running', async () => {
    const ours = () =>
      process
        .getActiveResourcesInfo()
        .filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout');
    const before = ours().length;
    const aws = await start();
    const accounts = ACCOUNTS.slice(0, 10);
    const set = buildSet(aws, { accounts }, REGIONS);
    // eu-west-1 answers after 5 s, past the 300 ms per-call timeout; the rest at once, until the
    // 20th target completes: then every answer takes 2 s and the run is aborted 500 ms later (after
    // the per-call timeouts of the first eu-west-1 targets, whose timers are due earlier).
    const slowRegion = aws.inject.latency({ ms: 5000, service: 'ec2', region: 'eu-west-1' });
    const controller = new AbortController();
    let abortedAt = Infinity;
    let completed = 0;
    const report = await set.map(
      async (ra, signal) => {
        const perCall = AbortSignal.any([signal, AbortSignal.timeout(300)]);
        const value = await describeInstances(ra, perCall);
        completed += 1;
        if (completed === 20) {
          slowRegion();
          aws.inject.latency({ ms: 2000, service: 'ec2' });
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, 500);
        }
        return value;
      },
      { concurrency: 8, signal: controller.signal },
    );
    const reportedAt = performance.now();
    expectEveryTargetOnce(report, set, accounts, REGIONS);
    const { summary } = report;
    expect(summary.stopped).toBe('aborted');
    expect(summary.succeeded).toBeGreaterThanOrEqual(20);
    expect(summary.skipped).toBeGreaterThan(0);
    // Prompt: the report came well before the 2 s answers the running targets were waiting for.
    expect(reportedAt - abortedAt).toBeLessThan(1000);
    // Skipped targets say why; the failed ones timed out per call (eu-west-1 before the abort,
    // others when every answer became slow).
    for (const r of report.results) {
      if (r.ok) continue;
      if (r.status === 'skipped') expect(r.errorClass).toBe('aborted');
      else expect(['network', 'aborted']).toContain(r.errorClass);
    }
    const timedOut = count(report.results, (r) => r.status === 'failed');
    expect(timedOut).toBeGreaterThan(0);
    expect(count(report.results, (r) => r.ok && r.region === 'eu-west-1')).toBe(0);
    // Nothing keeps running: no request reaches the server after the report...
    const requests = aws.stats.requests;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(aws.stats.requests).toBe(requests);
    // ...and once the clients and the server are closed, no socket or timer of ours is left.
    await closeAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ours().length).toBeLessThanOrEqual(before);
    figures('slow-abort', {
      targets: report.results.length,
      succeeded: summary.succeeded,
      timedOut,
      skippedByAbort: summary.skipped,
      abortToReportMs: Math.round(reportedAt - abortedAt),
      lost: 0,
    });
  });
});

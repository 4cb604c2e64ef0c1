/**
 * Reliability of credentials on aws-local (issue 9): an STS outage during refresh, before and after
 * the old credentials expire, and recovery when STS returns; a base key revoked mid-run; sessions
 * that the server expires early. Every error and log line is searched for the fixture's secrets.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { afterAll, describe, expect, it } from 'vitest';
import type { Session } from '../src/Session';
import { isCredentialsExpiredError } from '../src/errors';
import type { SessionOptions } from '../src/types';
import { BASE_KEY, CHAIN, fixture } from './fixture';
import { baseSession, expectNoSecretSeen, record, remember } from './wire-helpers';

const servers: LocalAws[] = [];
const sessions: Session[] = [];
const start = async (lifetimeSeconds: number) => {
  const server = await startLocalAws(fixture(lifetimeSeconds));
  servers.push(server);
  return server;
};
const newSession = (server: LocalAws, options: SessionOptions = {}) => {
  const session = baseSession(server, {}, options);
  sessions.push(session);
  return session;
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const whoami = (session: Session) =>
  session
    .client(STSClient)
    .send(new GetCallerIdentityCommand({}))
    .then(
      (r) => ({ ok: true as const, account: r.Account }),
      (e: unknown) => ({ ok: false as const, error: record(e) as Error }),
    );

/** Calls GetCallerIdentity every `everyMs` until `ms` have passed; returns what happened when. */
const run = async (session: Session, ms: number, everyMs = 50) => {
  const outcomes: { at: number; ok: boolean; error?: Error }[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const r = await whoami(session);
    outcomes.push({ at: performance.now(), ok: r.ok, ...(r.ok ? {} : { error: r.error }) });
    await wait(everyMs);
  }
  return outcomes;
};

afterAll(async () => {
  for (const session of sessions) session.destroy();
  await Promise.all(servers.map((s) => s.close()));
  expectNoSecretSeen();
});

describe.concurrent('credentials under STS faults (aws-local, sessions of a few seconds)', () => {
  it('an STS outage that outlasts the credentials: no failure while they are valid, a clear error after, recovery when STS returns', async () => {
    const server = await start(3);
    const session = newSession(server, { refresh: { backoffBaseMs: 100 } });
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'outage' });
    const { expiration } = await session.credentials()();
    const expiresAt = expiration!.getTime() - Date.now() + performance.now();
    // STS's AssumeRole fails from now on; GetCallerIdentity (the work) still answers.
    const restore = server.inject.fault({ service: 'sts', operation: 'AssumeRole', fault: 503 });
    const before = await run(session, expiresAt - performance.now() - 400);
    expect(before.length).toBeGreaterThan(5);
    expect(before.filter((o) => !o.ok)).toEqual([]);
    expect(server.stats.faults).toBeGreaterThan(0); // refreshes were tried, and failed
    await wait(Math.max(0, expiresAt - performance.now() + 100));
    const after = await run(session, 500);
    expect(after.every((o) => !o.ok)).toBe(true);
    for (const { error } of after) {
      expect(isCredentialsExpiredError(error)).toBe(true);
      expect(error!.message).toMatch(
        /^credentials of arn:aws:iam::222222222222:role\/Hop1 expired at .* and could not be refreshed: AssumeRole of .* failed: ServiceUnavailable/,
      );
    }
    restore();
    const recovered = await whoami(session);
    expect(recovered).toEqual({ ok: true, account: '222222222222' });
    await remember(session);
  });

  it('a base key revoked mid-run: role credentials serve until they expire, then a clear error naming the hop', async () => {
    const server = await start(3);
    const session = newSession(server, { refresh: { backoffBaseMs: 100 } });
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'revoked' });
    await remember(session);
    server.model.revokeAccessKey(BASE_KEY.accessKeyId);
    const outcomes = await run(session, 4000, 100);
    const firstFailure = outcomes.findIndex((o) => !o.ok);
    expect(firstFailure).toBeGreaterThan(3); // the role's credentials kept working
    const failures = outcomes.slice(firstFailure);
    expect(failures.length).toBeGreaterThan(2);
    for (const { ok, error } of failures) {
      expect(ok).toBe(false);
      // Either refused before signing (the refresh failed), or, for a request signed in the last
      // moments of validity, by the server as expired.
      expect(error!.message).toMatch(
        /AssumeRole of arn:aws:iam::222222222222:role\/Hop1 \(hop 1 of the role chain\) failed: InvalidClientTokenId|ExpiredToken|expired/,
      );
    }
    expect(
      failures.some(
        (f) => isCredentialsExpiredError(f.error) && /InvalidClientTokenId/.test(f.error.message),
      ),
    ).toBe(true);
  });

  it('sessions the server expires early: calls fail with ExpiredToken, clearly, none hangs', async () => {
    const server = await start(60);
    const session = newSession(server);
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'early' });
    expect((await whoami(session)).ok).toBe(true);
    server.model.expireSessions();
    const r = await whoami(session);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.name).toBe('ExpiredToken');
      expect(r.error.message).toMatch(/expired/i);
    }
  });

  it('never signs with credentials that expire before the request can arrive: a failed refresh near expiry is a CredentialsExpiredError, not the server refusing an expired token', async () => {
    const server = await start(3);
    const session = newSession(server, { refresh: { backoffBaseMs: 100 } });
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'edge' });
    const { expiration } = await session.credentials()();
    server.inject.fault({ service: 'sts', operation: 'AssumeRole', fault: 503 });
    // Every answer takes 300 ms; the call starts 100 ms before the credentials expire.
    server.inject.latency({ ms: 300, service: 'sts', operation: 'GetCallerIdentity' });
    await wait(expiration!.getTime() - Date.now() - 100);
    const r = await whoami(session);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.name).toBe('CredentialsExpiredError');
      expect(r.error.message).toMatch(
        /could not be refreshed: AssumeRole of .* failed: ServiceUnavailable/,
      );
    }
  });
});

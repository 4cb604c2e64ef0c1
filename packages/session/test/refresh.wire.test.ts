import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { afterAll, describe, expect, it } from 'vitest';
import type { Session } from '../src/Session';
import { isCredentialsExpiredError } from '../src/errors';
import type { SessionOptions, SessionParameters } from '../src/types';
import { ALICE_KEY, CHAIN, MFA_CODE, MFA_SERIAL, arn, fixture } from './fixture';
import { baseSession, expectNoSecretSeen, record, remember, seen } from './wire-helpers';

/** Each test has its own server issuing sessions of a few seconds, so that the tests run concurrently. */
const servers: LocalAws[] = [];
const sessions: Session[] = [];
const start = async (lifetimeSeconds: number) => {
  const server = await startLocalAws(fixture(lifetimeSeconds));
  servers.push(server);
  return server;
};
const newSession = (
  server: LocalAws,
  extra: Partial<SessionParameters> = {},
  options: SessionOptions = {},
) => {
  const session = baseSession(server, extra, options);
  sessions.push(session);
  return session;
};
const assumeRoles = (server: LocalAws): number => server.stats.byOperation['sts:AssumeRole'] ?? 0;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `workers` concurrent loops of GetCallerIdentity through the session's client for `ms`. */
const hammer = async (session: Session, ms: number, workers = 10) => {
  const client = session.client(STSClient);
  const failures: unknown[] = [];
  let calls = 0;
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        try {
          await client.send(new GetCallerIdentityCommand({}));
          calls += 1;
        } catch (error) {
          failures.push(record(error));
        }
        await wait(20);
      }
    }),
  );
  return { calls, failures };
};

afterAll(async () => {
  for (const session of sessions) session.destroy();
  await Promise.all(servers.map((s) => s.close()));
  expect(seen.length).toBeGreaterThan(3);
  expectNoSecretSeen();
});

describe.concurrent('refresh against aws-local (sessions of 3 to 4 s)', () => {
  it('refreshes credentials before they expire under concurrent use, no call failing', async () => {
    const server = await start(4);
    const session = newSession(server);
    const refreshes: unknown[] = [];
    session.on('credentials-refresh', (event) => refreshes.push(event));
    for (const role of CHAIN.slice(0, 2))
      await session.assumeRole({ RoleArn: role, RoleSessionName: 'short' });
    const { calls, failures } = await hammer(session, 5000);
    await remember(session);
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(100);
    expect(server.stats.errors.ExpiredToken ?? 0).toBe(0);
    expect(assumeRoles(server)).toBeGreaterThanOrEqual(4); // both hops refreshed at least once
    expect(refreshes.length).toBe(assumeRoles(server));
    expect(refreshes[0]).toMatchObject({ roleArn: CHAIN[0], hop: 1, expiration: expect.any(Date) });
  });

  it('asks the MFA tokenCode callback again at each refresh', async () => {
    const server = await start(4);
    const session = newSession(server, {
      aws_access_key_id: ALICE_KEY.accessKeyId,
      aws_secret_access_key: ALICE_KEY.secretAccessKey,
    });
    let asked = 0;
    await session.assumeRole(
      { RoleArn: arn('222222222222', 'Mfa'), RoleSessionName: 'mfa', SerialNumber: MFA_SERIAL },
      { tokenCode: () => ((asked += 1), MFA_CODE) },
    );
    expect(asked).toBe(1);
    const { failures } = await hammer(session, 4500, 3);
    expect(failures).toEqual([]);
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(asked).toBe(assumeRoles(server));
  });

  it('survives an STS outage during refresh while the old credentials are valid; after expiry, a clear error', async () => {
    const server = await start(3);
    const session = newSession(
      server,
      {},
      { refresh: { marginFraction: 0.6, backoffBaseMs: 100 } },
    );
    await session.assumeRole({ RoleArn: CHAIN[0]!, RoleSessionName: 'outage' });
    // every AssumeRole fails for 1 s, from inside the refresh window (1.8 s before expiry)
    await wait(1300);
    const remove = server.inject.fault({ service: 'sts', operation: 'AssumeRole', fault: 503 });
    const during = hammer(session, 1500, 5);
    await wait(1000);
    remove();
    const { failures, calls } = await during;
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(20);
    expect(server.stats.faults).toBeGreaterThan(0);
    const { failures: after } = await hammer(session, 800, 3);
    expect(after).toEqual([]);
    // now an outage that outlasts the credentials
    server.inject.fault({ service: 'sts', operation: 'AssumeRole', fault: 503 });
    await wait(3200);
    const error = record(await session.ready().catch((e: unknown) => e));
    expect(isCredentialsExpiredError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^credentials of arn:aws:iam::222222222222:role\/Hop1 expired at .* and could not be refreshed: AssumeRole of arn:aws:iam::222222222222:role\/Hop1 \(hop 1 of the role chain\) failed: ServiceUnavailable/,
    );
    const viaClient = record(
      await session
        .client(STSClient)
        .send(new GetCallerIdentityCommand({}))
        .catch((e: unknown) => e),
    );
    expect(viaClient).toMatchObject({ name: 'CredentialsExpiredError' });
  });
});

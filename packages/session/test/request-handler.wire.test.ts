import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isSessionError } from '../src/errors';
import type { Session } from '../src/Session';
import type { SessionOptions } from '../src/types';
import { fixture } from './fixture';
import { baseSession } from './wire-helpers';

let aws: LocalAws;
const sessions: Session[] = [];
const newSession = (region = 'eu-west-1', options: SessionOptions = {}) => {
  const session = baseSession(aws, { region_name: region }, options);
  sessions.push(session);
  return session;
};
const handlerOf = (client: STSClient): unknown => client.config.requestHandler;
const whoami = (client: STSClient) => client.send(new GetCallerIdentityCommand({}));

beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
beforeEach(() => aws.resetStats());
afterAll(async () => {
  for (const session of sessions) session.destroy();
  await aws.close();
});

describe('the HTTP handler of a session’s clients', () => {
  it('is one keep-alive handler shared by the clients of every session, so connections are reused', async () => {
    const clients = ['eu-west-1', 'us-east-1', 'ap-south-1'].map((region) =>
      newSession(region).client(STSClient),
    );
    expect(new Set(clients.map(handlerOf)).size).toBe(1);
    for (let round = 0; round < 3; round++) {
      for (const client of clients) await whoami(client);
    }
    expect(aws.stats.requests).toBe(9);
    // Sequential calls through one pool: at most the first call opens a connection (an earlier
    // test may have left one in the pool), every later call reuses it.
    expect(aws.stats.connections).toBeLessThanOrEqual(1);
  });

  it('survives the destruction of a client: the other clients keep working', async () => {
    const one = newSession().createClient(STSClient);
    const two = newSession('us-east-1').client(STSClient);
    await whoami(one);
    const opened = aws.stats.connections;
    one.destroy();
    const out = await whoami(two);
    expect(out.Account).toBe('111111111111');
    // The connection of the first call is still in the pool: destroy() closed nothing.
    expect(aws.stats.connections).toBe(opened);
  });

  it('cannot be re-configured from one client (that would change it for all)', () => {
    const handler = newSession().client(STSClient).config.requestHandler as unknown as {
      updateHttpClientConfig(key: string, value: unknown): void;
    };
    let error: unknown;
    try {
      handler.updateHttpClientConfig('requestTimeout', 5);
    } catch (e) {
      error = e;
    }
    expect(isSessionError(error)).toBe(true);
    expect(String(error)).toMatch(/requestHandler of its own/);
  });

  it('is the Session’s requestHandler when given: used by its clients and its STS calls, never destroyed by them', async () => {
    const inner = new NodeHttpHandler();
    const calls: string[] = [];
    let destroyed = 0;
    const mine = {
      handle: (request: HttpRequest, options?: HttpHandlerOptions) => {
        calls.push(request.headers['x-amz-target'] ?? request.body?.toString() ?? '');
        return inner.handle(request as never, options);
      },
      destroy: () => {
        destroyed++;
      },
    };
    const session = newSession('eu-west-1', { requestHandler: mine });
    expect(await session.accountId()).toBe('111111111111');
    const client = session.client(STSClient);
    await whoami(client);
    expect(calls).toHaveLength(2);
    session.destroy();
    client.destroy();
    expect(destroyed).toBe(0);
    inner.destroy();
  });

  it('gives way to a client’s own requestHandler', async () => {
    const own = new NodeHttpHandler();
    const client = newSession().createClient(STSClient, { requestHandler: own });
    expect(handlerOf(client)).toBe(own);
    await whoami(client);
    client.destroy();
  });
});

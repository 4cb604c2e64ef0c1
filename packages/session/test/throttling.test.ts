import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../src/Session';
import { callerIdentityXml, fakeHandler, stsErrorXml } from './helpers';

const sessionWith = (handler: unknown) =>
  new Session(
    {
      aws_access_key_id: 'AKIDEXAMPLE',
      aws_secret_access_key: 'SECRETFIXTURE-example',
      region_name: 'eu-west-1',
    },
    { stsClientConfig: { requestHandler: handler, maxAttempts: 3 } },
  );

/** Runs `promise` while advancing the (fake) clock through the SDK's retry delays. */
const settle = async <T>(promise: Promise<T>): Promise<T> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 100 && !done; i += 1) await vi.advanceTimersByTimeAsync(1000);
  return promise;
};

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

describe('identity calls retry every throttling error SPEC 3 lists', () => {
  for (const [code, message, status] of [
    ['Throttling', 'Rate exceeded', 400],
    ['ThrottlingException', 'slow down', 400],
    ['RequestLimitExceeded', 'Request limit exceeded.', 503],
    ['TooManyRequestsException', 'too many', 429],
    ['LimitExceeded', 'limit exceeded', 400],
    ['SomethingElse', 'Rate exceeded', 400],
  ] as const) {
    it(`retries ${code} (${message})`, async () => {
      const { handler, seen } = fakeHandler([
        { status, body: stsErrorXml(code, message) },
        { status: 200, body: callerIdentityXml('210987654321') },
      ]);
      const session = sessionWith(handler);
      expect(await settle(session.accountId())).toBe('210987654321');
      expect(seen).toHaveLength(2);
      session.destroy();
    });
  }

  it('does not retry an error that is not throttling, and does not cache it', async () => {
    const { handler, seen } = fakeHandler([
      { status: 403, body: stsErrorXml('AccessDenied', 'no') },
      { status: 200, body: callerIdentityXml() },
    ]);
    const session = sessionWith(handler);
    await expect(settle(session.accountId())).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(seen).toHaveLength(1);
    expect(await settle(session.accountId())).toBe('123456789012');
  });

  it('gives up after maxAttempts with the throttling error', async () => {
    const { handler, seen } = fakeHandler([
      { status: 400, body: stsErrorXml('Throttling', 'Rate exceeded') },
    ]);
    const session = sessionWith(handler);
    const error = await settle(session.accountId()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'Throttling' });
    expect(seen).toHaveLength(3);
    expect(Object.keys(error as object)).not.toContain('$response');
  });
});

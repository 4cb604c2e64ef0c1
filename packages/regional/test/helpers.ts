import type { Account } from '@cs/account';
import { Session } from '@cs/session';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/** Obviously fake credentials: the fake handler never checks them. */
export const FAKE_KEY = {
  accessKeyId: 'AKIAFAKEFAKEFAKE0001',
  secretAccessKey: 'SECRETFIXTURE-fake-0001',
};

/**
 * An Account stand-in for middleware tests that never reach the network: a real Session for the
 * clients, a fixed id and alias for error messages.
 */
export const fakeAccount = (region: string | undefined = 'us-east-1'): Account => {
  const session = new Session({
    ...FAKE_KEY,
    ...(region ? { region } : {}),
    EndpointUrl: 'http://127.0.0.1:9',
  });
  return {
    session: () => session,
    accountId: async () => '123456789012',
    alias: async () => 'acme-prod',
    aliases: async () => ['acme-prod'],
  } as unknown as Account;
};

/** A retry strategy of the standard kind with no backoff delay, so that retries run at once. */
export const noDelayRetries = (maxAttempts = 10): ConfiguredRetryStrategy =>
  new ConfiguredRetryStrategy(maxAttempts, 0);

export interface FakeResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** One request seen by {@link FakeHandler}. */
export interface SeenRequest {
  action: string | undefined;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
}

/**
 * A requestHandler that answers from a queue (then with `fallback`), recording what it got: the
 * SDK's whole middleware stack runs in front of it (retries, signing, our middleware).
 */
export class FakeHandler implements RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  readonly seen: SeenRequest[] = [];
  readonly queue: FakeResponse[] = [];
  constructor(private readonly fallback: (request: SeenRequest) => FakeResponse) {}

  async handle(
    request: HttpRequest,
    options?: HttpHandlerOptions,
  ): Promise<{ response: HttpResponse }> {
    const body = typeof request.body === 'string' ? request.body : '';
    const seen: SeenRequest = {
      action: new URLSearchParams(body).get('Action') ?? undefined,
      body,
      headers: { ...request.headers },
      signal: options?.abortSignal as AbortSignal | undefined,
    };
    this.seen.push(seen);
    const answer = this.queue.shift() ?? this.fallback(seen);
    return {
      response: {
        statusCode: answer.status,
        headers: { 'content-type': 'text/xml', ...answer.headers },
        body: new TextEncoder().encode(answer.body),
      },
    };
  }

  destroy(): void {}
}

export const callerIdentity = (account = '123456789012'): FakeResponse => ({
  status: 200,
  body:
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    `<Arn>arn:aws:iam::${account}:user/ci</Arn><UserId>AIDAFAKE</UserId><Account>${account}</Account>` +
    '</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
});

/** An awsQuery error answer (STS, IAM). */
export const queryError = (status: number, code: string, message: string): FakeResponse => ({
  status,
  body:
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
    '<RequestId>req-err</RequestId></ErrorResponse>',
});

export const throttling = (): FakeResponse => queryError(400, 'Throttling', 'Rate exceeded');
export const unavailable = (): FakeResponse => queryError(503, 'ServiceUnavailable', 'try again');

/** One page of IAM ListRoles; `marker` set means more pages follow. */
export const listRolesPage = (roleName: string, marker?: string): FakeResponse => ({
  status: 200,
  body:
    '<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult>' +
    `<IsTruncated>${marker === undefined ? 'false' : 'true'}</IsTruncated>` +
    (marker === undefined ? '' : `<Marker>${marker}</Marker>`) +
    `<Roles><member><Path>/</Path><RoleName>${roleName}</RoleName><RoleId>AROAFAKE</RoleId>` +
    `<Arn>arn:aws:iam::123456789012:role/${roleName}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member></Roles>` +
    '</ListRolesResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></ListRolesResponse>',
});

/** A manual clock: `now()` moves only when told; `sleep` resolves when time is advanced past it. */
export class ManualClock {
  #now = 0;
  #sleepers: { until: number; resolve: () => void }[] = [];
  now(): number {
    return this.#now;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      this.#sleepers.push({ until: this.#now + ms, resolve });
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  }
  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }
}

/**
 * A `loadServiceModule` seam whose `@aws-sdk/client-iam` hands out a client class that talks to
 * `handler` (SDK retries without delays).
 */
export const iamLoaderTalkingTo = async (
  handler: FakeHandler,
): Promise<() => Promise<Record<string, unknown>>> => {
  const iam = (await import('@aws-sdk/client-iam')) as Record<string, unknown> & {
    IAMClient: new (config: object) => object;
  };
  class FakeIAMClient extends iam.IAMClient {
    constructor(config: object) {
      super({ ...config, requestHandler: handler, retryStrategy: noDelayRetries() });
    }
  }
  return async () => ({ ...iam, IAMClient: FakeIAMClient });
};

/**
 * Property tests (issue 9) on the entry points of @cs/session that take user input: session
 * parameters, endpoint maps (`ServiceEndpoints`, `EndpointUrl`, `AWS_ENDPOINT_URL*`), role
 * parameters and the factory. Whatever they are given, they either succeed or throw one of the
 * documented errors (SessionParametersError, EndpointConfigError), whose message names where the
 * problem is, and never repeats a secret or an endpoint URL that carries credentials.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  clearSessionFactory,
  isEndpointConfigError,
  isSessionError,
  isSessionParametersError,
  Session,
  sessionFactory,
} from '../src/index';

const SECRET = 'SECRETFIXTURE-session-property-0001';
const PARAMETERS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'region_name',
  'profile_name',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'region',
  'profile',
  'credentials',
  'ServiceEndpoints',
  'EndpointUrl',
];
const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('eu-west-1', 'us-east-1', 'AKIAFIXTURE00000001', ''),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
);

/** URLs of every kind: good ones, other schemes, credentials in the URL, garbage. */
const url = fc.oneof(
  fc.constantFrom(
    'http://127.0.0.1:4566',
    'https://vpce-1.ec2.us-east-1.vpce.amazonaws.com',
    'https://proxy.example.com/path',
  ),
  fc
    .tuple(
      fc.constantFrom('ftp', 'file', 'javascript', 'ws', 'data', 'gopher', 'HTTP', 'https'),
      fc.constantFrom('proxy.example.com', '127.0.0.1:9', 'ec2.eu-west-1.amazonaws.com', ''),
    )
    .map(([scheme, host]) => `${scheme}://${host}`),
  fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.constantFrom(`user:${SECRET}`, SECRET, `:${SECRET}`),
    )
    .map(([scheme, userinfo]) => `${scheme}://${userinfo}@proxy.example.com`),
  fc.string({ maxLength: 30 }),
);
const endpointMap = fc.dictionary(
  fc.constantFrom('sts', 'ec2', 'sqs', 'iam', 'CloudWatch-Logs', 'x'),
  fc.oneof(
    url,
    fc.dictionary(fc.constantFrom('us-east-1', 'eu-west-1', '*', 'nowhere-1'), url, {
      maxKeys: 3,
    }),
    fc.integer(),
  ),
  { maxKeys: 3 },
);

/** Runs `fn`: it succeeds, or throws a documented @cs/session error that reveals nothing. */
const onlyDocumentedErrors = (fn: () => unknown): { error?: Error } => {
  try {
    fn();
    return {};
  } catch (error) {
    expect(isSessionParametersError(error) || isEndpointConfigError(error)).toBe(true);
    const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
    expect(text).not.toContain(SECRET);
    // The message says where: `SessionParameters.x`, `EndpointUrl`, `ServiceEndpoints.ec2`, ...
    expect((error as Error).message).toMatch(
      /^(SessionParameters|EndpointUrl|ServiceEndpoints|AWS_ENDPOINT_URL|AssumeRole)\S*.*: \S/,
    );
    return { error: error as Error };
  }
};

/** Resolves the endpoint of a few services and regions, as a client of the session would. */
const resolveSome = (session: Session) => {
  for (const service of ['sts', 'ec2', 'sqs', 'logs']) {
    for (const region of [undefined, 'us-east-1', 'eu-west-1'])
      session.clientConfig(service, region);
  }
};

describe('bad input to @cs/session (fast-check)', () => {
  it('random session parameters: a session, or a documented error naming the parameter and no secret', () => {
    const key = fc.oneof(
      fc.constantFrom(...PARAMETERS),
      fc.string({ minLength: 1, maxLength: 10 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(key, anyValue, { maxKeys: 5 }),
        // The secret goes where secrets go (a region or a profile name is no secret, and shows).
        fc.record(
          {
            aws_secret_access_key: fc.constant(SECRET),
            secretAccessKey: fc.constant(SECRET),
            aws_session_token: fc.constant(SECRET),
            sessionToken: fc.constant(SECRET),
          },
          { requiredKeys: [] },
        ),
        (random, secretParameters) => {
          const parameters = { ...random, ...secretParameters };
          onlyDocumentedErrors(() => {
            const session = new Session(parameters);
            resolveSome(session);
            expect(
              `${inspect(session)} ${JSON.stringify(session)} ${String(session)}`,
            ).not.toContain(SECRET);
            session.destroy();
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random endpoint maps: each URL that is not http(s) or carries credentials is refused, naming where, never repeating it', () => {
    fc.assert(
      fc.property(
        endpointMap,
        fc.option(url, { nil: undefined }),
        (ServiceEndpoints, EndpointUrl) => {
          const all = [
            ...Object.values(ServiceEndpoints).flatMap((v) =>
              typeof v === 'object' ? Object.values(v) : [v],
            ),
            ...(EndpointUrl === undefined ? [] : [EndpointUrl]),
          ];
          const unsafe = all.some(
            (u) =>
              typeof u === 'string' &&
              (u.includes(SECRET) || /^(ftp|file|javascript|ws|data|gopher):/i.test(u)),
          );
          const { error } = onlyDocumentedErrors(() => {
            const session = new Session({
              region_name: 'eu-west-1',
              ServiceEndpoints,
              ...(EndpointUrl === undefined ? {} : { EndpointUrl }),
            } as never);
            resolveSome(session);
            session.destroy();
          });
          if (unsafe) {
            expect(isEndpointConfigError(error)).toBe(true);
            for (const u of all)
              if (typeof u === 'string' && u.includes(SECRET))
                expect(error!.message).not.toContain(u);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> from the environment obey the same rules', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS'),
        url,
        (name, value) => {
          vi.stubEnv(name, value);
          try {
            const { error } = onlyDocumentedErrors(() =>
              resolveSome(new Session({ region_name: 'eu-west-1' })),
            );
            if (value.includes(SECRET) || /^(ftp|file|javascript|ws|data|gopher):/i.test(value)) {
              expect(isEndpointConfigError(error)).toBe(true);
              expect(error!.message).toContain(name);
            }
          } finally {
            vi.unstubAllEnvs();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random role parameters: assumeRole (deferred) and sessionFactory refuse bad ones with a SessionParametersError naming the role', async () => {
    const roleParams = fc.record(
      {
        RoleArn: fc.oneof(
          fc.constantFrom(
            'arn:aws:iam::123456789012:role/Audit',
            'arn:aws:iam::1:role/A',
            'not-an-arn',
          ),
          fc.string({ maxLength: 20 }),
          fc.integer(),
        ),
        RoleSessionName: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
        DurationSeconds: fc.oneof(
          fc.integer({ min: -10, max: 50_000 }),
          fc.string({ maxLength: 4 }),
        ),
        ExternalId: fc.constantFrom(SECRET, 'ext-1'),
        SerialNumber: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: ['RoleArn'] },
    );
    clearSessionFactory();
    await fc.assert(
      fc.asyncProperty(
        roleParams,
        fc.constantFrom('AssumeRole', 'assume_role', 'Nonsense', undefined),
        async (params, method) => {
          const session = new Session({
            region_name: 'eu-west-1',
            EndpointUrl: 'http://127.0.0.1:9',
          });
          try {
            await session.assumeRole(params as never, {
              deferred: true,
              ...(method ? { method: method as never } : {}),
            });
          } catch (error) {
            expect(isSessionError(error)).toBe(true);
            expect(isSessionParametersError(error)).toBe(true);
            expect((error as Error).message).not.toContain(SECRET);
          } finally {
            session.destroy();
          }
          onlyDocumentedErrors(() =>
            sessionFactory({
              SessionParameters: { region_name: 'eu-west-1', EndpointUrl: 'http://127.0.0.1:9' },
              AssumeRole: params,
            } as never)?.destroy(),
          );
        },
      ),
      { numRuns: 300 },
    );
    clearSessionFactory();
  });
});

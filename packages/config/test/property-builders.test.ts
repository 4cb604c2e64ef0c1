/**
 * Property tests (issue 9) on the builders of @cs/config with random sections: filter specs,
 * rate-limit specs (own, per region, per operation), endpoint maps and session parameters. The
 * builders make no AWS call; whatever they are given, they build, or throw a ConfigError whose
 * problems each name the path inside the section — never another error class, never a secret.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegionalAccounts, buildSession, isConfigError } from '../src/index';

const SECRET = 'SECRETFIXTURE-config-builders-0001';
const regionName = fc.oneof(
  fc.constantFrom(
    'us-east-1',
    'eu-west-1',
    'cn-north-1',
    'us-gov-west-1',
    'us-eats-1',
    'mars-north-1',
  ),
  fc.constantFrom('us-*', 'eu-??st-1', '*', '?', '[', 'ap-*-1', ''),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const regions = fc.oneof(fc.array(regionName, { maxLength: 3 }), regionName, fc.constant(null));
const filter = fc.oneof(
  fc.record(
    {
      Partitions: fc.dictionary(
        fc.oneof(
          fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'nope'),
          fc.string({ maxLength: 6 }),
        ),
        fc.oneof(
          fc.record(
            {
              IncludeNonRegional: fc.oneof(fc.boolean(), fc.string({ maxLength: 4 })),
              Regions: fc.record({ include: regions, exclude: regions }, { requiredKeys: [] }),
            },
            { requiredKeys: [] },
          ),
          fc.constant(null),
          fc.integer(),
        ),
        { maxKeys: 2 },
      ),
      Discover: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  fc.string({ maxLength: 8 }),
);
const rateLimit = fc.oneof(
  fc.record(
    {
      max_count: fc.oneof(
        fc.integer({ min: -5, max: 100 }),
        fc.string({ maxLength: 6 }),
        fc.double(),
      ),
      interval: fc.oneof(
        fc.integer({ min: -5, max: 100 }),
        fc.constantFrom('1s', '250ms', 'soon', ''),
      ),
      block: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
    },
    { requiredKeys: [] },
  ),
  fc.integer(),
  fc.constant(null),
);
const url = fc.oneof(
  fc.constantFrom(
    'http://127.0.0.1:9',
    'https://vpce.example.com',
    'ftp://x.example.com',
    'not a url',
  ),
  fc.constant(`https://u:${SECRET}@proxy.example.com`),
);
const endpoints = fc.dictionary(
  fc.constantFrom('ec2', 'sts', 'sqs', 'x'),
  fc.oneof(url, fc.dictionary(fc.constantFrom('us-east-1', '*', 'eu-west-1'), url, { maxKeys: 2 })),
  { maxKeys: 2 },
);
const sessionParameters = fc.record(
  {
    aws_access_key_id: fc.constantFrom('AKIAFIXTURECONFIG001', ''),
    aws_secret_access_key: fc.constant(SECRET),
    region_name: regionName,
    EndpointUrl: url,
    ServiceEndpoints: endpoints,
  },
  { requiredKeys: [] },
);

/** Runs `build`: it succeeds, or throws a ConfigError that names paths and reveals no secret. */
const onlyConfigErrors = (build: () => unknown) => {
  try {
    build();
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    const { problems } = error as Error & { problems: { path: string; message: string }[] };
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.path.length).toBeGreaterThan(0);
      expect(problem.message.length).toBeGreaterThan(5);
    }
    expect(`${(error as Error).message} ${inspect(error, { depth: 10 })}`).not.toContain(SECRET);
  }
};

describe('bad input to the builders of @cs/config (fast-check)', () => {
  it('buildRegionalAccounts(random filter, rate limits and endpoints): a container or a ConfigError naming paths', () => {
    fc.assert(
      fc.property(
        filter,
        rateLimit,
        fc.dictionary(regionName.map(String), rateLimit, { maxKeys: 2 }),
        fc.dictionary(
          fc.constantFrom('ec2', 'iam:ListRoles', 'nope:', 'sts:GetCallerIdentity'),
          rateLimit,
          {
            maxKeys: 2,
          },
        ),
        endpoints,
        (Filter, RateLimit, RateLimitRegionSpec, RateLimitOperationSpec, ServiceEndpoints) => {
          onlyConfigErrors(() => {
            const container = buildRegionalAccounts(
              {
                Account: {
                  SessionParameters: {
                    aws_access_key_id: 'AKIAFIXTURECONFIG001',
                    aws_secret_access_key: SECRET,
                    region_name: 'eu-west-1',
                    ServiceEndpoints,
                  },
                },
                Filter,
                RateLimit,
                RateLimitRegionSpec,
                RateLimitOperationSpec,
              } as never,
              { source: 'random.yaml', path: 'App.RegionalAccounts' },
            );
            // Reading the regions is where a filter is applied.
            if (Filter && typeof Filter === 'object' && Filter.Discover !== true) {
              for (const ra of container.values()) ra.destroy();
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('buildSession(random parameters and endpoint maps): a session or a ConfigError naming paths, no secret', () => {
    fc.assert(
      fc.property(sessionParameters, (SessionParameters) => {
        onlyConfigErrors(() => {
          const session = buildSession({ SessionParameters } as never, { source: 'random.yaml' });
          session.clientConfig('ec2', 'us-east-1');
        });
      }),
      { numRuns: 300 },
    );
  });
});

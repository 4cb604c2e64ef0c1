// The JSON Schemas (draft-07) of every configuration section: the one definition of each section's
// shape. They are `as const` objects, so that ../types.ts derives the sections' TypeScript types
// from them (json-schema-to-ts's FromSchema); scripts/generate-validators.mjs compiles them into the
// validators and scripts/write-schemas.mjs writes them out as `schemas/<Section>.json` at build
// time (test/schemaFiles.test.ts checks that the files equal these objects). Each section is
// self-contained (nested sections are inlined, no $ref), so that its file works on its own in an
// editor.

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** A section's schema without its `$schema`, for nesting inside another section. */
function inline<T extends { readonly $schema: string }>(schema: T): Omit<T, '$schema'> {
  const { $schema: _drop, ...rest } = schema;
  return rest;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;

const url = {
  type: 'string',
  pattern: '^https?://[^\\s/$.?#][^\\s]*$',
  description: 'an http:// or https:// URL',
} as const;

const regionName = {
  type: 'string',
  pattern: '^([a-z]{2,5}(-[a-z]+)+-[0-9]+|aws(-[a-z]+)*-global)$',
  description: 'an AWS region name such as us-east-1, or a global pseudo-region such as aws-global',
} as const;

const regionPattern = {
  type: 'string',
  pattern: '^[a-z0-9*?\\[\\]!-]+$',
  description: 'a region name or a glob such as us-* or eu-??st-1',
} as const;

const accountPattern = {
  ...nonEmptyString,
  description: 'an account id or name, or a glob (*, ?)',
} as const;

const roleArn = {
  type: 'string',
  pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$',
  description: 'an IAM role ARN such as arn:aws:iam::123456789012:role/Name',
} as const;

const durationString = {
  type: ['number', 'string'],
  minimum: 0,
  pattern:
    '^\\s*(([0-9]+(\\.[0-9]+)?|\\.[0-9]+)\\s*(ms|msec|milliseconds?|s|sec|seconds?|m|min|minutes?|h|hours?|d|days?)\\s*)+$',
  description: "seconds (a number), or a duration string such as '250ms', '1s', '2m', '1h30m'",
} as const;

const adaptive = {
  title: 'Adaptive',
  type: ['boolean', 'object'],
  description:
    'adaptive rate: on a throttling answer the rate drops, then recovers step by step; true, or settings',
  additionalProperties: false,
  properties: {
    decrease: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description: 'the factor applied on a throttling answer; default 0.8',
    },
    increase: {
      type: 'number',
      minimum: 0,
      description: 'requests regained per interval; default 1',
    },
    minCount: { type: 'integer', minimum: 1, description: 'the lowest rate; default 1' },
    interval: {
      type: 'number',
      minimum: 0,
      description: 'milliseconds, used when the limit has no interval; default 1000',
    },
  },
} as const;

const maxAttempts = {
  type: 'integer',
  minimum: 1,
  description: "the SDK's maxAttempts (the first try and the retries); default 10",
} as const;

const maxCount = {
  type: 'integer',
  minimum: 0,
  description: 'the number of calls allowed per interval; 0 means unlimited',
} as const;

/** `ServiceEndpoints`: a service name to one URL, or to a map from region name (or `*`) to URL. */
const ServiceEndpoints = {
  $schema: DRAFT_07,
  title: 'ServiceEndpoints',
  description:
    "Custom endpoints: a service name (sts, ec2, sqs, ...) to one URL, or to a map from region name (or '*' for every region) to URL.",
  type: 'object',
  propertyNames: {
    pattern: '^[a-z0-9-]+$',
    description: 'an AWS service id such as sts, ec2, sqs',
  },
  additionalProperties: {
    type: ['string', 'object'],
    pattern: url.pattern,
    description: "an http:// or https:// URL, or a map from region name (or '*') to URL",
    propertyNames: {
      pattern: '^(\\*|[a-z]{2,5}(-[a-z]+)+-[0-9]+|aws(-[a-z]+)*-global)$',
      description: "a region name or '*'",
    },
    additionalProperties: url,
  },
} as const;

/** `SessionParameters`: the identity of a session, with the boto3 names or the SDK v3 names. */
const SessionParameters = {
  $schema: DRAFT_07,
  title: 'SessionParameters',
  description:
    'The base identity of a session, with the boto3 names (aws_access_key_id, ...) or the SDK v3 names (accessKeyId, ...); with none, the default credential chain applies.',
  type: 'object',
  additionalProperties: false,
  properties: {
    aws_access_key_id: { ...nonEmptyString, description: 'an access key id' },
    aws_secret_access_key: { ...nonEmptyString, description: 'a secret access key' },
    aws_session_token: { ...nonEmptyString, description: 'a session token' },
    region_name: regionName,
    profile_name: { ...nonEmptyString, description: 'a profile of the shared AWS files' },
    accessKeyId: { ...nonEmptyString, description: 'an access key id' },
    secretAccessKey: { ...nonEmptyString, description: 'a secret access key' },
    sessionToken: { ...nonEmptyString, description: 'a session token' },
    region: regionName,
    profile: { ...nonEmptyString, description: 'a profile of the shared AWS files' },
    ServiceEndpoints: inline(ServiceEndpoints),
    EndpointUrl: {
      ...url,
      description:
        'an http:// or https:// URL, the endpoint of every service and region (an emulator, a proxy)',
    },
  },
  allOf: [
    { not: { required: ['aws_access_key_id', 'accessKeyId'] } },
    { not: { required: ['aws_secret_access_key', 'secretAccessKey'] } },
    { not: { required: ['aws_session_token', 'sessionToken'] } },
    { not: { required: ['region_name', 'region'] } },
    { not: { required: ['profile_name', 'profile'] } },
  ],
} as const;

/** `AssumeRole`: the parameters of one STS AssumeRole call (AWS's own names). */
const AssumeRole = {
  $schema: DRAFT_07,
  title: 'AssumeRole',
  description:
    'A role to assume on top of the layer below it: the parameters of STS AssumeRole, plus the method.',
  type: 'object',
  additionalProperties: false,
  required: ['RoleArn'],
  properties: {
    RoleArn: roleArn,
    RoleSessionName: {
      type: 'string',
      pattern: '^[\\w+=,.@-]{2,64}$',
      description: 'a session name of 2 to 64 characters: letters, digits and +=,.@-_',
    },
    ExternalId: {
      type: 'string',
      pattern: '^[\\w+=,.@:/-]{2,1224}$',
      description: 'an external id of 2 to 1224 characters',
    },
    DurationSeconds: {
      type: 'integer',
      minimum: 900,
      maximum: 43200,
      description: 'seconds, from 900 to 43200',
    },
    Policy: { ...nonEmptyString, description: 'an inline session policy (JSON text)' },
    PolicyArns: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['arn'],
        properties: { arn: { ...nonEmptyString, description: 'a managed policy ARN' } },
      },
    },
    Tags: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['Key', 'Value'],
        properties: { Key: nonEmptyString, Value: { type: 'string' } },
      },
    },
    TransitiveTagKeys: { type: 'array', items: nonEmptyString },
    SourceIdentity: nonEmptyString,
    SerialNumber: { ...nonEmptyString, description: 'the MFA device serial number or ARN' },
    TokenCode: {
      type: 'string',
      pattern: '^[0-9]{6}$',
      description: 'a six-digit MFA code',
    },
    WebIdentityToken: { ...nonEmptyString, description: 'for AssumeRoleWithWebIdentity' },
    ProviderId: { ...nonEmptyString, description: 'for AssumeRoleWithWebIdentity' },
    PrincipalArn: { ...nonEmptyString, description: 'for AssumeRoleWithSAML' },
    SAMLAssertion: { ...nonEmptyString, description: 'for AssumeRoleWithSAML' },
    method: {
      enum: ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'],
      description: 'the STS method; default AssumeRole',
    },
    sts_method: {
      enum: ['assume_role', 'assume_role_with_web_identity', 'assume_role_with_saml'],
      description: "the STS method, the original's spelling; default assume_role",
    },
  },
  allOf: [{ not: { required: ['method', 'sts_method'] } }],
} as const;

const assumeRoleInline = inline(AssumeRole);

/** `AssumeRoles`: roles assumed in order, each with the credentials of the one before. */
const AssumeRoles = {
  $schema: DRAFT_07,
  title: 'AssumeRoles',
  description: 'A role chain: each role is assumed with the credentials of the one before it.',
  type: 'array',
  minItems: 1,
  items: assumeRoleInline,
} as const;

/** `Account`: a session's identity and the roles assumed on top of it. */
const Account = {
  $schema: DRAFT_07,
  title: 'Account',
  description: 'An AWS account: the base identity (SessionParameters) and the roles assumed on it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    SessionParameters: inline(SessionParameters),
    AssumeRole: assumeRoleInline,
    AssumeRoles: inline(AssumeRoles),
  },
} as const;

const accountInline = inline(Account);

/** `RateLimit`: the original's names (`max_count`, `interval` in seconds) or camelCase. */
const RateLimit = {
  $schema: DRAFT_07,
  title: 'RateLimit',
  description:
    'A rate limit: at most max_count calls in any window of interval seconds (or a duration string); block: wait for a slot instead of failing.',
  type: 'object',
  additionalProperties: false,
  properties: {
    max_count: maxCount,
    maxCount,
    interval: durationString,
    block: { type: 'boolean', description: 'wait for a slot (true) or fail at once (false)' },
    store: {
      type: 'object',
      additionalProperties: false,
      description: 'where the limit state lives; default in memory',
      properties: {
        redis: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', pattern: '^rediss?://', description: 'a redis:// URL' },
            key: { ...nonEmptyString, description: 'the key shared by every process' },
          },
        },
      },
    },
  },
  allOf: [{ not: { required: ['max_count', 'maxCount'] } }],
} as const;

const rateLimitInline = inline(RateLimit);

/** `RateLimitRegionSpec`: a region name to the rate limit that replaces `RateLimit` there. */
const RateLimitRegionSpec = {
  $schema: DRAFT_07,
  title: 'RateLimitRegionSpec',
  description: 'Region name to the rate limit that replaces RateLimit in that region.',
  type: 'object',
  propertyNames: regionName,
  additionalProperties: rateLimitInline,
} as const;

/** `RateLimitOperationSpec`: `service` or `service:Operation` to an extra rate limit. */
const RateLimitOperationSpec = {
  $schema: DRAFT_07,
  title: 'RateLimitOperationSpec',
  description:
    'service (organizations) or service:Operation (iam:ListRoles) to a rate limit that applies on top of the RegionalAccount one.',
  type: 'object',
  propertyNames: {
    pattern: '^[a-z0-9-]+(:[A-Za-z0-9_]+)?$',
    description: 'service or service:Operation, such as iam or iam:ListRoles',
  },
  additionalProperties: rateLimitInline,
} as const;

/** `Filter`: which regions of which partitions. */
const Filter = {
  $schema: DRAFT_07,
  title: 'Filter',
  description: 'Which regions: per partition, include/exclude lists of names or globs.',
  type: 'object',
  additionalProperties: false,
  properties: {
    Partitions: {
      type: ['object', 'null'],
      description: 'partition id (aws, aws-cn, aws-us-gov, ...) to its region filter',
      propertyNames: {
        pattern: '^aws(-[a-z]+)*$',
        description: 'a partition id such as aws, aws-cn, aws-us-gov',
      },
      additionalProperties: {
        type: ['object', 'null'],
        additionalProperties: false,
        description: 'the filter of one partition; empty: every region',
        properties: {
          IncludeNonRegional: {
            type: 'boolean',
            description: "add the partition's global pseudo-region (aws-global); default false",
          },
          Regions: {
            type: ['object', 'null'],
            additionalProperties: false,
            properties: {
              include: {
                type: ['array', 'string', 'null'],
                pattern: regionPattern.pattern,
                description: 'the regions to keep (names or globs); absent or empty: every region',
                items: regionPattern,
              },
              exclude: {
                type: ['array', 'string', 'null'],
                pattern: regionPattern.pattern,
                description: 'the regions to drop (names or globs); wins over include',
                items: regionPattern,
              },
            },
          },
        },
      },
    },
    Discover: {
      type: 'boolean',
      description:
        'ask the account which regions it has enabled (EC2 DescribeRegions) and leave out the others; default false',
    },
  },
} as const;

/** `Organization`: the member accounts of an AWS Organization, each reached through a role. */
const Organization = {
  $schema: DRAFT_07,
  title: 'Organization',
  description:
    'The member accounts of an organisation (or of given OUs), each reached by assuming RoleName from Account (the management or a delegated account).',
  type: 'object',
  additionalProperties: false,
  required: ['Account'],
  properties: {
    Account: accountInline,
    RoleName: {
      type: 'string',
      pattern: '^[\\w+=,.@/-]{1,64}$',
      description:
        'the role to assume in each member account; default OrganizationAccountAccessRole',
    },
    ExternalId: AssumeRole.properties.ExternalId,
    RoleSessionName: AssumeRole.properties.RoleSessionName,
    OUs: {
      type: 'array',
      description: 'only the accounts under these OUs, recursively; default every account',
      items: {
        ...nonEmptyString,
        description:
          'an OU id (ou-xxxx-xxxxxxxx), a root id (r-xxxx) or a path of OU names (Workloads/Sandbox)',
      },
    },
    include: {
      type: 'array',
      description: 'keep only the accounts whose id or name matches; default every account',
      items: accountPattern,
    },
    exclude: {
      type: 'array',
      description: 'drop the accounts whose id or name matches; wins over include',
      items: accountPattern,
    },
    // The limit of the Organizations calls; default 2 per second, waiting.
    RateLimit: rateLimitInline,
    region_name: regionName,
    Tags: {
      type: 'object',
      description:
        'only the accounts carrying every one of these tags (values may be globs), read with ListTagsForResource',
      additionalProperties: { type: 'string' },
    },
    ExcludeOUs: {
      type: 'array',
      description: 'drop the accounts under these OUs, recursively; wins over OUs and include',
      items: {
        ...nonEmptyString,
        description: 'an OU id (ou-xxxx-xxxxxxxx) or a path of OU names (Workloads/Sandbox)',
      },
    },
    ExcludeManagementAccount: {
      type: 'boolean',
      description: "leave out the organisation's management account; default false",
    },
    Policy: AssumeRole.properties.Policy,
    PolicyArns: AssumeRole.properties.PolicyArns,
    DurationSeconds: AssumeRole.properties.DurationSeconds,
  },
} as const;

/** `RegionalAccount`: one account in one region, with its rate limit. */
const RegionalAccount = {
  $schema: DRAFT_07,
  title: 'RegionalAccount',
  description: 'One account in one region, with its rate limit.',
  type: 'object',
  additionalProperties: false,
  required: ['Account'],
  properties: {
    Account: accountInline,
    RateLimit: rateLimitInline,
    region_name: regionName,
    region: regionName,
    RateLimitOperationSpec: inline(RateLimitOperationSpec),
    Adaptive: adaptive,
    MaxAttempts: maxAttempts,
  },
  allOf: [{ not: { required: ['region_name', 'region'] } }],
} as const;

/** `RegionalAccounts`: one account (or an organisation's accounts) in the regions of a filter. */
const RegionalAccounts = {
  $schema: DRAFT_07,
  title: 'RegionalAccounts',
  description:
    'One account (Account) or the accounts of an organisation (Organization), in every region the Filter selects.',
  type: 'object',
  additionalProperties: false,
  properties: {
    Account: accountInline,
    Organization: inline(Organization),
    RateLimit: rateLimitInline,
    Filter: inline(Filter),
    RateLimitRegionSpec: inline(RateLimitRegionSpec),
    RateLimitOperationSpec: inline(RateLimitOperationSpec),
    Adaptive: adaptive,
    MaxAttempts: maxAttempts,
    service: {
      type: 'string',
      pattern: '^[a-z0-9-]+$',
      description: "an AWS service id such as ec2 (kept for the original's configurations)",
    },
  },
  oneOf: [{ required: ['Account'] }, { required: ['Organization'] }],
} as const;

/** `RegionalAccountSet`: a list of `{ RegionalAccounts }`, the targets of a fan-out. */
const RegionalAccountSet = {
  $schema: DRAFT_07,
  title: 'RegionalAccountSet',
  description: 'The targets of a fan-out: a list of RegionalAccounts.',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['RegionalAccounts'],
    properties: { RegionalAccounts: inline(RegionalAccounts) },
  },
} as const;

/**
 * Every section's schema, with its literal type (from which ../types.ts derives the sections'
 * types); the public `sectionSchemas` is this object with a plain type.
 */
export const sectionSchemaSource = {
  SessionParameters,
  ServiceEndpoints,
  AssumeRole,
  AssumeRoles,
  Account,
  RateLimit,
  RateLimitRegionSpec,
  RateLimitOperationSpec,
  Filter,
  Organization,
  RegionalAccount,
  RegionalAccounts,
  RegionalAccountSet,
} as const;

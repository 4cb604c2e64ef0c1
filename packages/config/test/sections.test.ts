import { describe, expect, it } from 'vitest';
import { sectionNames, validateSection } from '../src/index';
import type { SectionName } from '../src/index';
import { configErrorOf } from './helpers';

const account = { SessionParameters: { profile_name: 'prod' } };
const role = { RoleArn: 'arn:aws:iam::123456789012:role/Admin', RoleSessionName: 'cs-aws' };

/** Valid forms of every section, in both spellings where there are two. */
const valid: Record<SectionName, unknown[]> = {
  SessionParameters: [
    {},
    {
      aws_access_key_id: 'AKIA1',
      aws_secret_access_key: 'SECRETFIXTURE-s',
      aws_session_token: 'SECRETFIXTURE-t',
    },
    {
      accessKeyId: 'AKIA1',
      secretAccessKey: 'SECRETFIXTURE-s',
      sessionToken: 'SECRETFIXTURE-t',
      region: 'eu-west-1',
    },
    { region_name: 'us-gov-west-1', profile_name: 'p', EndpointUrl: 'http://localhost:4566' },
    { profile: 'p', ServiceEndpoints: { sts: { '*': 'http://127.0.0.1:9000' } } },
  ],
  ServiceEndpoints: [
    {},
    { ec2: 'https://vpce-1.ec2.us-east-1.vpce.amazonaws.com' },
    { sqs: { 'us-east-1': 'https://a.example', 'aws-global': 'https://b.example' } },
  ],
  AssumeRole: [
    { RoleArn: 'arn:aws-cn:iam::123456789012:role/path/R' },
    {
      ...role,
      ExternalId: 'ext-123',
      DurationSeconds: 3600,
      SerialNumber: 'arn:aws:iam::123456789012:mfa/me',
      TokenCode: '123456',
      Tags: [{ Key: 'team', Value: '' }],
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      sts_method: 'assume_role',
    },
    { ...role, method: 'AssumeRoleWithWebIdentity', WebIdentityToken: 'SECRETFIXTURE-jwt' },
  ],
  AssumeRoles: [[role], [role, { RoleArn: 'arn:aws:iam::210987654321:role/Next' }]],
  Account: [{}, account, { AssumeRole: role }, { SessionParameters: {}, AssumeRoles: [role] }],
  RateLimit: [
    {},
    { max_count: 10, interval: 1, block: true },
    { maxCount: 0, interval: '250ms', block: false },
    { max_count: '5', interval: '1h30m' },
    { max_count: 1, store: { redis: { url: 'redis://localhost:6379', key: 'org-limit' } } },
  ],
  RateLimitRegionSpec: [{}, { 'us-east-1': { max_count: 50, interval: 1 } }],
  RateLimitOperationSpec: [{ organizations: { max_count: 1 }, 'iam:ListRoles': {} }],
  Filter: [
    {},
    { Partitions: { aws: {} } },
    { Partitions: { aws: null, 'aws-cn': { Regions: { include: ['cn-*'] } } } },
    {
      Partitions: {
        aws: { IncludeNonRegional: true, Regions: { include: 'us-*', exclude: ['eu-??st-1'] } },
      },
      Discover: true,
    },
  ],
  Organization: [
    { Account: account },
    {
      Account: account,
      RoleName: 'OrganizationAccountAccessRole',
      ExternalId: 'ext-1',
      OUs: ['ou-ab12-34cd56ef', 'r-ab12', 'Workloads/Sandbox'],
      include: ['123456789012', 'prod-*'],
      exclude: ['sandbox-?'],
      RateLimit: { max_count: 2, interval: 1, block: true },
      region_name: 'us-east-1',
    },
    {
      Account: account,
      Tags: { env: 'prod', team: 'web-*' },
      ExcludeOUs: ['Workloads/Sandbox', 'ou-ab12-34cd56ef'],
      ExcludeManagementAccount: true,
      Policy: '{"Version":"2012-10-17","Statement":[]}',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      DurationSeconds: 900,
    },
  ],
  RegionalAccount: [
    { Account: account },
    {
      Account: account,
      RateLimit: { max_count: 10 },
      region_name: 'eu-west-1',
      RateLimitOperationSpec: { organizations: { max_count: 1 } },
      Adaptive: true,
      MaxAttempts: 3,
    },
    { Account: {}, region: 'aws-global', Adaptive: { decrease: 0.5, minCount: 2 } },
  ],
  RegionalAccounts: [
    { Account: account },
    {
      Account: account,
      RateLimit: { max_count: 10 },
      Filter: { Partitions: { aws: {} } },
      RateLimitRegionSpec: { 'us-east-1': { max_count: 1 } },
      service: 'ec2',
    },
    { Organization: { Account: account }, Filter: { Discover: true } },
  ],
  RegionalAccountSet: [
    [{ RegionalAccounts: { Account: account } }],
    [
      { RegionalAccounts: { Account: {} } },
      { RegionalAccounts: { Organization: { Account: {} } } },
    ],
  ],
};

/** Invalid forms of every section, each with (a part of) the message it must give. */
const invalid: Record<SectionName, [unknown, string][]> = {
  SessionParameters: [
    [{ aws_access_key: 'x' }, "did you mean 'aws_access_key_id'?"],
    [{ region_name: 'Europe' }, 'expected an AWS region name'],
    [{ region: 'eu-west-1', region_name: 'eu-west-1' }, "give 'region_name' or 'region'"],
    [{ EndpointUrl: 'localhost:4566' }, 'expected an http:// or https:// URL'],
    [{ accessKeyId: true }, 'expected a string, got a boolean'],
  ],
  ServiceEndpoints: [
    [{ ec2: 'ftp://x' }, 'expected an http:// or https:// URL'],
    [{ sqs: { useast1: 'https://x' } }, "key 'useast1' is not valid"],
    [{ EC2: 'https://x' }, "key 'EC2' is not valid: expected an AWS service id"],
  ],
  AssumeRole: [
    [{}, "missing required key 'RoleArn'"],
    [{ ...role, RoleSesionName: 'x' }, "did you mean 'RoleSessionName'?"],
    [{ ...role, DurationSeconds: 50000 }, 'expected a number <= 43200'],
    [{ ...role, TokenCode: '12ab56' }, 'expected a six-digit MFA code'],
    [{ ...role, method: 'AssumeRole', sts_method: 'assume_role' }, "give 'method' or 'sts_method'"],
  ],
  AssumeRoles: [
    [[], 'expected a list of at least 1 item'],
    [role, 'expected a list, got a mapping'],
  ],
  Account: [
    [{ Session: {} }, "did you mean 'SessionParameters'?"],
    [{ AssumeRoles: role }, 'expected a list, got a mapping'],
    [[], 'expected a mapping, got a list'],
  ],
  RateLimit: [
    [{ max_count: 1.5 }, 'expected an integer, got a number'],
    [{ interval: '10 parsecs' }, 'expected seconds (a number), or a duration string'],
    [{ interval: -1 }, 'expected a number >= 0'],
    [{ block: 'maybe' }, 'expected true or false, got a string'],
    [{ store: { redis: {} } }, "missing required key 'url'"],
    [{ store: { redis: { url: 'http://x' } } }, 'expected a redis:// URL'],
  ],
  RateLimitRegionSpec: [
    [{ 'us-east-1': { max: 1 } }, "unknown key 'max'"],
    [{ 'us-east-1': 5 }, 'expected a mapping, got an integer'],
  ],
  RateLimitOperationSpec: [[{ 'IAM:ListRoles': {} }, "key 'IAM:ListRoles' is not valid"]],
  Filter: [
    [
      { Partitions: { aws: { Regions: { include: [false] } } } },
      'expected a string, got a boolean',
    ],
    [{ Partitions: { aws: { regions: {} } } }, "did you mean 'Regions'?"],
    [
      { Partitions: { aws: { Regions: { include: ['us east'] } } } },
      'expected a region name or a glob',
    ],
    [{ Discover: 'sometimes' }, 'expected true or false, got a string'],
  ],
  Organization: [
    [{}, "missing required key 'Account'"],
    [{ Account: {}, OUs: 'ou-1' }, 'expected a list, got a string'],
    [{ Account: {}, Rolename: 'x' }, "did you mean 'RoleName'?"],
    [{ Account: {}, Tags: ['env'] }, 'expected a mapping, got a list'],
    [{ Account: {}, ExcludeOU: ['x'] }, "did you mean 'ExcludeOUs'?"],
    [{ Account: {}, ExcludeManagementAccount: 'maybe' }, 'expected true or false, got a string'],
    [{ Account: {}, DurationSeconds: 60 }, 'expected a number >= 900'],
  ],
  RegionalAccount: [
    [{}, "missing required key 'Account'"],
    [{ Account: {}, Adaptive: { decrease: 2 } }, 'expected a number < 1'],
    [{ Account: {}, MaxAttempts: 0 }, 'expected a number >= 1'],
    [{ Account: {}, region_name: 'x', region: 'y' }, "give 'region_name' or 'region'"],
  ],
  RegionalAccounts: [
    [{}, "missing 'Account' or 'Organization'"],
    [{ Account: {}, Filters: {} }, "did you mean 'Filter'?"],
    [{ Account: {}, service: 'EC2' }, 'expected an AWS service id'],
  ],
  RegionalAccountSet: [
    [{ RegionalAccounts: { Account: {} } }, 'expected a list, got a mapping'],
    [[{ RegionalAccount: { Account: {} } }], "did you mean 'RegionalAccounts'?"],
    [[], 'expected a list of at least 1 item'],
  ],
};

describe('every section has valid and invalid forms', () => {
  it('the tables cover every section', () => {
    expect(Object.keys(valid).sort()).toEqual([...sectionNames].sort());
    expect(Object.keys(invalid).sort()).toEqual([...sectionNames].sort());
  });

  for (const name of sectionNames) {
    it.each(valid[name].map((value) => [JSON.stringify(value), value]))(
      `${name}: %s is valid`,
      (_label, value) => {
        expect(() => validateSection(name, structuredClone(value))).not.toThrow();
      },
    );
    it.each(invalid[name].map(([value, message]) => [JSON.stringify(value), value, message]))(
      `${name}: %s is refused`,
      (_label, value, message) => {
        const error = configErrorOf(() =>
          validateSection(name, structuredClone(value), { source: 'code' }),
        );
        expect(error.message).toContain(message);
        expect(error.problems.every((p) => p.file === 'code' && p.path.startsWith(name))).toBe(
          true,
        );
      },
    );
  }

  it('validateSection converts numeric text where a number is expected and returns the value', () => {
    expect(validateSection('RateLimit', { max_count: '10', interval: '2', block: 'yes' })).toEqual({
      max_count: 10,
      interval: 2,
      block: true,
    });
  });

  it('a path given to validateSection prefixes the problems', () => {
    const error = configErrorOf(() =>
      validateSection('RateLimit', { max_count: -1 }, { path: 'YourApp.limits[2]' }),
    );
    expect(error.problems[0]?.path).toBe('YourApp.limits[2].max_count');
  });
});

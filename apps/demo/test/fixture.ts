import type { Fixture } from '@cs/aws-local';

/** Two accounts reached with one user's key: 111111111111 directly, 222222222222 through a role. */
export const KEY = { accessKeyId: 'AKIAFIXTURETEST00001', secretAccessKey: 'SECRETFIXTURE-test' };

export const fixture = (): Fixture => ({
  accounts: [
    {
      id: '111111111111',
      aliases: ['test-main'],
      regions: ['us-east-1', 'eu-west-1'],
      users: [{ name: 'tester', accessKeys: [KEY] }],
      instances: { 'us-east-1': 3, 'eu-west-1': 1 },
    },
    {
      id: '222222222222',
      aliases: ['test-member'],
      regions: ['us-east-1'], // eu-west-1 not enabled: its targets fail
      roles: [{ name: 'Reader', trust: ['111111111111'] }],
      instances: { 'us-east-1': 12 },
    },
  ],
});

/** A configuration in the original's format for the fixture, at `url`. */
export const configText = (url: string): string => `
SessionParameters: &creds
 aws_access_key_id: {{AWS_ACCESS_KEY_ID}}
 aws_secret_access_key: {{AWS_SECRET_ACCESS_KEY}}
 region_name: us-east-1
 EndpointUrl: ${url}

Filter: &regions
 Partitions:
  aws:
   Regions:
    include: [us-east-1, eu-west-1]

TestApp:
 RegionalAccountSet:
  - RegionalAccounts:
     Account:
      SessionParameters: *creds
     RateLimit: { max_count: 20, interval: 1, block: True }
     Filter: *regions
  - RegionalAccounts:
     Account:
      SessionParameters: *creds
      AssumeRole:
       RoleArn: arn:aws:iam::222222222222:role/Reader
       RoleSessionName: test
     RateLimit: { max_count: 20, interval: 1, block: True }
     Filter: *regions
`;

/** Only the enabled targets: every command succeeds. */
export const healthyConfigText = (url: string): string =>
  configText(url).replace('include: [us-east-1, eu-west-1]', 'include: [us-east-1]');

export const ENV = {
  AWS_ACCESS_KEY_ID: KEY.accessKeyId,
  AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
};

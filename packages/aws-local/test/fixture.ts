import type { Fixture } from '../src/index';

/** Obviously fake credentials of the shared test fixture. */
export const ALICE = {
  accessKeyId: 'AKIAFIXTUREALICE0001',
  secretAccessKey: 'SECRETFIXTURE-alice',
};
export const BOB = { accessKeyId: 'AKIAFIXTUREBOB000001', secretAccessKey: 'SECRETFIXTURE-bob' };
export const CAROL = {
  accessKeyId: 'AKIAFIXTURECAROL0001',
  secretAccessKey: 'SECRETFIXTURE-carol',
};

export const MGMT = '111111111111';
export const DEV = '222222222222';
export const PROD = '333333333333';
export const OLD = '444444444444';

export const fixture = (): Fixture => ({
  accounts: [
    {
      id: MGMT,
      name: 'management',
      aliases: ['acme-mgmt'],
      users: [
        {
          name: 'alice',
          accessKeys: [{ ...ALICE }],
          mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
          mfaCode: '123456',
        },
        { name: 'carol', accessKeys: [{ ...CAROL }] },
      ],
      roles: [{ name: 'OrganizationAccountAccessRole', trust: [MGMT] }],
    },
    {
      id: DEV,
      name: 'dev',
      parent: 'Workloads',
      optInRegions: ['af-south-1'],
      users: [{ name: 'bob', accessKeys: [{ ...BOB }] }],
      roles: [
        { name: 'Admin', trust: [MGMT], maxSessionDuration: 7200 },
        { name: 'Audit', trust: ['arn:aws:iam::111111111111:user/alice'], externalId: 'ext-1' },
        { name: 'Secure', trust: [MGMT], mfaRequired: true },
        { name: 'Web', trustWebIdentity: ['oidc.example.com'] },
        { name: 'Chain', trust: ['arn:aws:iam::111111111111:role/OrganizationAccountAccessRole'] },
      ],
      instances: {
        'us-east-1': 12,
        'eu-west-1': [
          { id: 'i-0123456789abcdef0', type: 'm5.large', state: 'stopped', tags: { Name: 'web' } },
        ],
      },
    },
    {
      id: PROD,
      name: 'prod',
      parent: 'Workloads',
      regions: ['us-east-1', 'eu-west-1'],
      roles: [{ name: 'Admin', trust: ['*'] }],
    },
    { id: OLD, name: 'old', status: 'SUSPENDED', parent: 'Suspended' },
  ],
  organization: {
    managementAccountId: MGMT,
    units: [{ name: 'Workloads', children: [{ name: 'Sandbox' }] }, { name: 'Suspended' }],
  },
  webIdentityTokens: [
    { token: 'SECRETFIXTURE-web-token-1', provider: 'oidc.example.com', subject: 'repo:acme/app' },
  ],
});

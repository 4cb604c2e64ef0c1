import type { Fixture } from '@cs/aws-local';

/** Fake credentials of the fixture: every error and log line of the wire tests is searched for them. */
export const BASE_KEY = {
  accessKeyId: 'AKIAFIXTURECI000001',
  secretAccessKey: 'SECRETFIXTURE-ci-DO-NOT-PRINT',
};
export const ALICE_KEY = {
  accessKeyId: 'AKIAFIXTUREALICE001',
  secretAccessKey: 'SECRETFIXTURE-alice-DO-NOT-PRINT',
};
export const MFA_SERIAL = 'arn:aws:iam::111111111111:mfa/alice';
export const MFA_CODE = '123456';

export const arn = (account: string, name: string): string =>
  `arn:aws:iam::${account}:role/${name}`;

/** Four accounts: a user in 111..., a chain Hop1 (222) -> Hop2 (333) -> Hop3 (444), a role nobody trusts, an MFA role. */
export const fixture = (sessionLifetimeSeconds?: number): Fixture => ({
  ...(sessionLifetimeSeconds !== undefined ? { sessionLifetimeSeconds } : {}),
  webIdentityTokens: [
    { token: 'SECRETFIXTURE-web-token-1', provider: 'oidc.example.com', subject: 'repo:acme/app' },
  ],
  accounts: [
    {
      id: '111111111111',
      aliases: ['acme-mgmt'],
      users: [
        { name: 'ci', accessKeys: [BASE_KEY] },
        { name: 'alice', accessKeys: [ALICE_KEY], mfaSerial: MFA_SERIAL, mfaCode: MFA_CODE },
      ],
    },
    {
      id: '222222222222',
      roles: [
        { name: 'Hop1', trust: ['111111111111'] },
        { name: 'Mfa', trust: ['arn:aws:iam::111111111111:user/alice'], mfaRequired: true },
        { name: 'Web', trustWebIdentity: ['oidc.example.com'] },
      ],
    },
    {
      id: '333333333333',
      roles: [
        { name: 'Hop2', trust: [arn('222222222222', 'Hop1')] },
        { name: 'Closed', trust: ['999999999999'] },
      ],
    },
    { id: '444444444444', roles: [{ name: 'Hop3', trust: [arn('333333333333', 'Hop2')] }] },
  ],
});

export const CHAIN = [
  arn('222222222222', 'Hop1'),
  arn('333333333333', 'Hop2'),
  arn('444444444444', 'Hop3'),
];

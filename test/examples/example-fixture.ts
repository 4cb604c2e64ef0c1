// The @cs/aws-local organisation the README examples run against: the accounts, users, roles and
// profiles they name. Fixture secrets carry the SECRETFIXTURE marker of the secrets audit.

interface Key {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const key = (n: number, who: string): Key => ({
  accessKeyId: `AKIAEXAMPLES0000000${n}`,
  secretAccessKey: `SECRETFIXTURE-examples-${who}`,
});

/** The shared-config profiles the examples name, each a user of the organisation. */
export const PROFILES = [
  { name: 'ci', region: 'eu-west-1', key: key(1, 'ci') },
  { name: 'management', region: 'us-east-1', key: key(2, 'management') },
  { name: 'prod', region: 'eu-west-1', key: key(3, 'prod') },
  { name: 'dev', region: 'eu-west-1', key: key(4, 'dev') },
] as const;

const envKey = key(5, 'env');

/** The template variables of the YAML examples, and the environment of the code examples. */
export const EXAMPLE_VARIABLES = {
  AWS_ACCESS_KEY_ID: envKey.accessKeyId,
  AWS_SECRET_ACCESS_KEY: envKey.secretAccessKey,
  AWS_ASSUME_ROLE: 'arn:aws:iam::222222222222:role/Audit',
  ROLE_ARN: 'arn:aws:iam::222222222222:role/Audit',
} as const;

const [ci, management, prod, dev] = PROFILES;
const member = (id: string, name: string, parent: string, extra: object = {}) => ({
  id,
  name,
  parent,
  aliases: [name],
  roles: [
    { name: 'OrganizationAccountAccessRole', trust: ['111111111111'] },
    { name: 'Audit', trust: ['111111111111', 'arn:aws:iam::222222222222:role/Hop1'] },
  ],
  instances: { 'eu-west-1': 2, 'us-west-2': 3 },
  ...extra,
});

/** The fixture: a management account and three members. */
export function exampleFixture(): object {
  return {
    accounts: [
      {
        id: '111111111111',
        name: 'management',
        aliases: ['acme-mgmt'],
        users: [
          { name: 'ci', accessKeys: [ci.key] },
          { name: 'admin', accessKeys: [management.key] },
          { name: 'env', accessKeys: [envKey] },
        ],
      },
      member('222222222222', 'acme-prod', 'Workloads', {
        users: [{ name: 'deploy', accessKeys: [prod.key] }],
        roles: [
          { name: 'OrganizationAccountAccessRole', trust: ['111111111111'] },
          { name: 'Audit', trust: ['111111111111', '222222222222'] },
          { name: 'Hop1', trust: ['111111111111'] },
        ],
      }),
      member('333333333333', 'acme-dev', 'Workloads', {
        users: [{ name: 'dev', accessKeys: [dev.key] }],
      }),
      member('444444444444', 'sandbox-1', 'Workloads'),
    ],
    organization: {
      managementAccountId: '111111111111',
      units: [{ name: 'Workloads' }],
    },
  };
}

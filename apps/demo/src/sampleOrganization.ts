/**
 * The sample organisation the embedded local endpoint serves when no configuration is found.
 */

import type { Fixture } from '@cs/aws-local';

/**
 * The fake, obviously non-AWS key of the sample organisation's one IAM user (`demo` in the
 * management account). It exists only inside the embedded endpoint.
 *
 * @public
 */
export const SAMPLE_ACCESS_KEY = {
  accessKeyId: 'AKIAFIXTUREDEMO00001',
  secretAccessKey: 'SECRETFIXTURE-sample-not-a-real-key',
} as const;

/** The management account of the sample organisation. @public */
export const SAMPLE_MANAGEMENT_ACCOUNT = '111111111111';

/**
 * The opt-in region that the configuration asks for but that only `acme-staging` has enabled, so
 * that the other accounts show how a region that is not enabled is reported.
 *
 * @public
 */
export const SAMPLE_OPT_IN_REGION = 'af-south-1';

const member = (
  id: string,
  name: string,
  parent: string,
  instances: Record<string, number> = {},
  extra: Partial<Fixture['accounts'][number]> = {},
): Fixture['accounts'][number] => ({
  id,
  name: `acme-${name}`,
  email: `${name}@example.com`,
  parent,
  aliases: [`acme-${name}`],
  regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'],
  // Hop 2 of the chain: only the management account's Auditor role may come in.
  roles: [
    {
      name: 'OrganizationAccountAccessRole',
      trust: [`arn:aws:iam::${SAMPLE_MANAGEMENT_ACCOUNT}:role/Auditor`],
    },
  ],
  instances,
  ...extra,
});

/**
 * The sample organisation: a management account and four member accounts under two
 * organizational units (`Workloads` and `Sandbox`), one of them suspended; every member is reached
 * through a two-hop role chain (user `demo` → `Auditor` in the management account →
 * `OrganizationAccountAccessRole` in the member); instances in several regions; one opt-in region
 * (`af-south-1`) enabled in one account only; every account tagged `env` and `team`.
 *
 * @example
 * ```ts
 * const aws = await startLocalAws(sampleOrganization());
 * ```
 * @returns a new fixture object (callers may change it)
 * @public
 */
export const sampleOrganization = (): Fixture => ({
  accounts: [
    {
      id: SAMPLE_MANAGEMENT_ACCOUNT,
      name: 'acme-management',
      email: 'management@example.com',
      aliases: ['acme-management'],
      regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'],
      users: [{ name: 'demo', accessKeys: [{ ...SAMPLE_ACCESS_KEY }] }],
      roles: [
        // Hop 1 of the chain: the user assumes Auditor in its own account.
        { name: 'Auditor', trust: [`arn:aws:iam::${SAMPLE_MANAGEMENT_ACCOUNT}:user/demo`] },
        {
          name: 'OrganizationAccountAccessRole',
          trust: [`arn:aws:iam::${SAMPLE_MANAGEMENT_ACCOUNT}:role/Auditor`],
        },
      ],
      instances: { 'us-east-1': 2 },
      tags: { env: 'management', team: 'platform' },
    },
    member(
      '222222222222',
      'prod',
      'Workloads',
      { 'us-east-1': 40, 'eu-west-1': 7, 'ap-southeast-2': 3 },
      { tags: { env: 'prod', team: 'web' }, buckets: ['acme-prod-assets', 'acme-prod-logs'] },
    ),
    member(
      '333333333333',
      'staging',
      'Workloads',
      { 'us-east-1': 4, 'eu-west-1': 2, [SAMPLE_OPT_IN_REGION]: 2 },
      {
        optInRegions: [SAMPLE_OPT_IN_REGION],
        tags: { env: 'staging', team: 'web' },
        buckets: [{ name: 'acme-staging-assets', region: 'eu-west-1' }],
      },
    ),
    member(
      '444444444444',
      'sandbox',
      'Sandbox',
      { 'eu-west-1': 1, 'us-west-2': 1 },
      { tags: { env: 'sandbox', team: 'data' } },
    ),
    member(
      '555555555555',
      'legacy',
      'Sandbox',
      { 'us-east-1': 5 },
      { status: 'SUSPENDED', tags: { env: 'prod', team: 'legacy' } },
    ),
  ],
  organization: {
    managementAccountId: SAMPLE_MANAGEMENT_ACCOUNT,
    units: [{ name: 'Workloads' }, { name: 'Sandbox' }],
  },
});

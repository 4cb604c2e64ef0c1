/**
 * The configuration the command runs with against the embedded local endpoint.
 */

/**
 * The variables the sample configuration's template needs; the embedded mode sets them (for the
 * template only, never in `process.env`) from the sample organisation and the endpoint's URL.
 *
 * @public
 */
export const SAMPLE_CONFIG_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'CS_AWS_ENDPOINT_URL',
] as const;

/** The application key of the sample configuration. @public */
export const SAMPLE_APP = 'CsAwsDemo';

/**
 * The bundled configuration, in the format of the original `cs.aws_account` (anchors, Jinja
 * placeholders, `True`): every account of the sample organisation but the suspended one, each
 * reached through a two-hop role chain, in four regions, one of them an opt-in region that only
 * one account has enabled. `ec2:DescribeInstances` has its own limit of 2 requests per second
 * per account and region, under the server-side throttle the embedded endpoint applies.
 *
 * @public
 */
export const SAMPLE_CONFIG = `# cs-aws: the bundled configuration of the embedded sample organisation.
# Rendered with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and CS_AWS_ENDPOINT_URL.
SessionParameters: &demo_creds
 aws_access_key_id: {{AWS_ACCESS_KEY_ID}}
 aws_secret_access_key: {{AWS_SECRET_ACCESS_KEY}}
 region_name: us-east-1
 EndpointUrl: {{CS_AWS_ENDPOINT_URL}}

AssumeRole: &auditor # hop 1: the demo user becomes Auditor in the management account
 RoleArn: arn:aws:iam::111111111111:role/Auditor
 RoleSessionName: cs-aws-demo

RateLimit: &default_ratelimit
 max_count: 10
 interval: 1
 block: True

RateLimitOperationSpec: &ec2_pages # under the embedded endpoint's throttle of 3/s
 ec2:DescribeInstances:
  max_count: 2
  interval: 1
  block: True

Filter: &demo_regions
 Partitions:
  aws:
   Regions:
    include: [us-east-1, eu-west-1, ap-southeast-2, af-south-1] # af-south-1: opt-in

Members: # hop 2: OrganizationAccountAccessRole in each account
 management: &management
  SessionParameters: *demo_creds
  AssumeRoles:
   - *auditor
   - RoleArn: arn:aws:iam::111111111111:role/OrganizationAccountAccessRole
     RoleSessionName: cs-aws-demo
 prod: &prod
  SessionParameters: *demo_creds
  AssumeRoles:
   - *auditor
   - RoleArn: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole
     RoleSessionName: cs-aws-demo
 staging: &staging
  SessionParameters: *demo_creds
  AssumeRoles:
   - *auditor
   - RoleArn: arn:aws:iam::333333333333:role/OrganizationAccountAccessRole
     RoleSessionName: cs-aws-demo
 sandbox: &sandbox
  SessionParameters: *demo_creds
  AssumeRoles:
   - *auditor
   - RoleArn: arn:aws:iam::444444444444:role/OrganizationAccountAccessRole
     RoleSessionName: cs-aws-demo

CsAwsDemo:
 RegionalAccountSet:
  - RegionalAccounts:
     Account: *management
     RateLimit: *default_ratelimit
     RateLimitOperationSpec: *ec2_pages
     Filter: *demo_regions
  - RegionalAccounts:
     Account: *prod
     RateLimit: *default_ratelimit
     RateLimitOperationSpec: *ec2_pages
     Filter: *demo_regions
  - RegionalAccounts:
     Account: *staging
     RateLimit: *default_ratelimit
     RateLimitOperationSpec: *ec2_pages
     Filter: *demo_regions
  - RegionalAccounts:
     Account: *sandbox
     RateLimit: *default_ratelimit
     RateLimitOperationSpec: *ec2_pages
     Filter: *demo_regions
`;

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
 * placeholders, `True`), with this project's `Organization` source: the member accounts of the
 * sample organisation (the suspended one is reported skipped, never called), each reached through
 * a two-hop role chain (the demo user assumes `Auditor` in the management account, which assumes
 * `OrganizationAccountAccessRole` in the member), in four regions, one of them an opt-in region
 * that only one account has enabled. `ec2:DescribeInstances` has its own limit of 2 requests per
 * second per account and region, under the server-side throttle of the embedded endpoint. A
 * second application, `CsAwsDemoWeb`, selects the members tagged `team: web` outside the `Sandbox`
 * OU, without the management account.
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

Account: &auditor # hop 1: the demo user becomes Auditor in the management account
 SessionParameters: *demo_creds
 AssumeRole:
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

CsAwsDemo:
 RegionalAccountSet:
  - RegionalAccounts:
     Organization: # every member account; hop 2: OrganizationAccountAccessRole in each
      Account: *auditor
      RoleName: OrganizationAccountAccessRole
      RoleSessionName: cs-aws-demo
     RateLimit: *default_ratelimit
     RateLimitOperationSpec: *ec2_pages
     Filter: *demo_regions

CsAwsDemoWeb: # --app CsAwsDemoWeb: the members tagged team=web, the Sandbox OU left out
 RegionalAccountSet:
  - RegionalAccounts:
     Organization:
      Account: *auditor
      RoleName: OrganizationAccountAccessRole
      RoleSessionName: cs-aws-demo
      Tags:
       team: web
      ExcludeOUs: [Sandbox]
      ExcludeManagementAccount: True
     RateLimit: *default_ratelimit
     RateLimitOperationSpec: *ec2_pages
     Filter: *demo_regions
`;

// The regions that the tests and benchmarks spreading targets over many regions use
// (@cs/regional's stream test, bench/fanout-bullmq, bench/report-html): one list, so that they all
// name the same regions. Plain JavaScript, so that the benchmarks run it on Node.js as it is; its
// types are in regions.d.mts.

/**
 * Twenty regions of partition `aws`: the first seventeen are the regions every account has enabled
 * (on AWS and on @cs/aws-local), the last three (af-south-1, me-south-1, eu-south-1) need opting in,
 * so a fixture that uses them lists them in the account's `regions`. Take the first n for n regions.
 *
 * @type {readonly string[]}
 */
export const REGIONS = Object.freeze([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'af-south-1',
  'me-south-1',
  'eu-south-1',
]);

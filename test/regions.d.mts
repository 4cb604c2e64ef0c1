/**
 * Twenty regions of partition `aws`: the first seventeen are the regions every account has enabled
 * (on AWS and on @cs/aws-local), the last three (af-south-1, me-south-1, eu-south-1) need opting in,
 * so a fixture that uses them lists them in the account's `regions`. Take the first n for n regions.
 */
export declare const REGIONS: readonly string[];

/** Regions of partition `aws` that every account has enabled. @internal */
export const DEFAULT_REGIONS: readonly string[] = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

/** Opt-in regions of partition `aws`: enabled for an account only when its fixture lists them. @internal */
export const OPT_IN_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
];

/** Every region the server knows. @internal */
export const ALL_REGIONS: ReadonlySet<string> = new Set([...DEFAULT_REGIONS, ...OPT_IN_REGIONS]);

/** Whether a region needs opting in. @internal */
export const isOptInRegion = (region: string): boolean => OPT_IN_REGIONS.includes(region);

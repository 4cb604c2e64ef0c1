import { partition } from '@aws-sdk/util-endpoints';

/**
 * Whether `name` is a region listed in the partition data the SDK ships (never a hand-typed
 * list): only listed regions carry a `description`.
 */
export const isKnownRegion = (name: string): boolean =>
  /^[a-z]{2,}(-[a-z0-9]+)+$/.test(name) &&
  (partition(name) as { description?: string }).description !== undefined;

/** The partition (`aws`, `aws-cn`, `aws-us-gov`, ...) a region belongs to, from the SDK's data. */
export const partitionOf = (region: string): string => partition(region).name;

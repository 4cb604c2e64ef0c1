import type { LocalAwsService } from './LocalAws';
import { HANDLERS } from './internal/Server';

/**
 * The services and operations `@cs/aws-local` serves, read from the server's own routing table (so
 * this list cannot drift from what it answers). Any other operation is answered as AWS answers an
 * unknown action: `InvalidAction` (STS, IAM, EC2) or `UnknownOperationException` (Organizations).
 *
 * @example
 * ```ts
 * import { SERVED_OPERATIONS } from '@cs/aws-local';
 *
 * console.log(SERVED_OPERATIONS.ec2); // ['DescribeRegions', 'DescribeInstances']
 * ```
 */
export const SERVED_OPERATIONS: Readonly<Record<LocalAwsService, readonly string[]>> =
  Object.freeze(
    Object.fromEntries(
      Object.entries(HANDLERS).map(([service, handlers]) => [
        service,
        Object.freeze([...handlers.keys()]),
      ]),
    ) as Record<LocalAwsService, readonly string[]>,
  );

/**
 * Whether `@cs/aws-local` serves `operation` of `service` (the SDK's service id, `sts`, `ec2`, ...;
 * the operation as `DescribeInstances` or `describe_instances`; case and underscores ignored).
 *
 * @example
 * ```ts
 * import { isServedOperation } from '@cs/aws-local';
 *
 * isServedOperation('ec2', 'describe_instances'); // true
 * isServedOperation('iam', 'ListRoles'); // false
 * ```
 */
export function isServedOperation(service: string, operation: string): boolean {
  const key = service.toLowerCase();
  if (!Object.hasOwn(SERVED_OPERATIONS, key)) return false;
  const served = SERVED_OPERATIONS[key as LocalAwsService];
  const wanted = operation.replace(/_/g, '').toLowerCase();
  return served.some((name) => name.toLowerCase() === wanted);
}

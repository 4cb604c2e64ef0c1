/**
 * @cs/aws-local: A local AWS endpoint (STS, IAM, EC2, Organizations) that the real AWS SDK talks to, for tests, benchmarks and demos.
 *
 * @packageDocumentation
 */

export const __placeholder = true;

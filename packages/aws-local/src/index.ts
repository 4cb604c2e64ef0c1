/**
 * @cs/aws-local: a local AWS endpoint (STS, IAM, EC2, Organizations) that the unmodified AWS SDK v3
 * talks to over real sockets, for tests, benchmarks and demos. Start it with {@link startLocalAws}.
 *
 * @packageDocumentation
 */

export { startLocalAws } from './startLocalAws';
export { SERVED_OPERATIONS, isServedOperation } from './servedOperations';
export type { LocalAwsOptions } from './startLocalAws';
export type {
  Fixture,
  AccountFixture,
  UserFixture,
  RoleFixture,
  InstanceFixture,
  OrganizationFixture,
  OrganizationalUnitFixture,
  WebIdentityTokenFixture,
} from './Fixture';
export type {
  LocalAws,
  LocalAwsStats,
  LocalAwsService,
  LocalAwsInjection,
  LocalAwsModelControl,
  InjectionScope,
  LatencyRule,
  RateLimitRule,
  FaultRule,
  RequestLogEntry,
  RequestLogFilter,
} from './LocalAws';
export { LocalAwsError, FixtureError, isLocalAwsError, isFixtureError } from './errors';
export type { FixtureIssue } from './errors';

/**
 * @cs/session: AWS sessions for SDK v3: boto3-style parameters, role chains with shared
 * self-refreshing credentials, regional STS and the endpoint rules of the original.
 *
 * @packageDocumentation
 */

export { Session } from './Session';
export { sessionFactory, clearSessionFactory } from './sessionFactory';
export { canonicalKey } from './canonicalKey';
export { stripResponse } from './stripResponse';
export { ClientCache } from './ClientCache';
export {
  SessionError,
  SessionParametersError,
  EndpointConfigError,
  AssumeRoleError,
  CredentialsExpiredError,
  RegionMissingError,
  isSessionError,
  isSessionParametersError,
  isEndpointConfigError,
  isAssumeRoleError,
  isCredentialsExpiredError,
  isRegionMissingError,
} from './errors';
export type { Logger } from './Logger';
export type {
  AssumeRoleMethod,
  AssumeRoleOptions,
  AssumeRoleParams,
  AwsClient,
  ClientClass,
  ClientConfigOf,
  ClientEndpointConfig,
  ClientOptions,
  Clock,
  CredentialsRefreshEvent,
  GenericClientOptions,
  RefreshOptions,
  RegionLookup,
  ServiceEndpoints,
  SessionOptions,
  SessionParameters,
  SessionSpec,
  WallClock,
} from './types';

/**
 * @cs/regional: Rate-limited regional AWS clients, region containers and multi-account fan-out.
 *
 * @packageDocumentation
 */

export { DEFAULT_CLIENT_CACHE_SIZE, RegionalAccount } from './RegionalAccount';
export type {
  CallOptions,
  PaginationConfig,
  RateLimitOperationSpec,
  RegionalAccountOptions,
  SdkCommand,
} from './RegionalAccount';
export type { AdaptiveOptions } from './AdaptiveOptions';
export type { ServiceModuleLoader } from './ServiceModuleLoader';
export { clearRegionalAccountFactory, regionalAccountFactory } from './regionalAccountFactory';
export type { RegionalAccountFactoryOptions, RegionalAccountSpec } from './regionalAccountFactory';
export type {
  AdaptiveRateEvent,
  CredentialsRefreshEvent,
  RateLimitWaitEvent,
  RegionalAccountEventMap,
  RequestEvent,
  RequestTarget,
  RetryEvent,
  ThrottledEvent,
} from './RegionalAccountEvents';
export {
  AwsClientError,
  isAwsClientError,
  isOperationNotPaginatedError,
  isRegionalError,
  isRegionRequiredError,
  isServiceClientNotInstalledError,
  isUnknownOperationError,
  OperationNotPaginatedError,
  RegionalError,
  RegionRequiredError,
  ServiceClientNotInstalledError,
  UnknownOperationError,
} from './errors';
export type { AwsCallTarget } from './errors';
export { RegionalAccounts, isRegionalAccounts } from './RegionalAccounts';
export type { RegionalAccountsSpec } from './RegionalAccounts';
export type {
  PartitionFilter,
  RegionalAccountsFilter,
  RegionsFilter,
} from './RegionalAccountsFilter';
export { clearRegionalAccountsFactory, regionalAccountsFactory } from './regionalAccountsFactory';
export { resolveRegions } from './resolveRegions';
export type { ResolveRegionsOptions } from './resolveRegions';
export { RegionalAccountSet } from './RegionalAccountSet';
export type { FanOutFunction, SkippedAccount, TargetIdentity } from './RegionalAccountSet';
export { regionalAccountSetFactory } from './regionalAccountSetFactory';
export type { RegionalAccountSetSpec } from './regionalAccountSetFactory';
export { classifyError } from './classifyError';
export type { ClassifyErrorContext, ErrorClass, ErrorClassification } from './classifyError';
export type { FanOutOptions, FanOutProgress, IgnoreRule } from './FanOutOptions';
export type {
  FanOutFailure,
  FanOutResult,
  FanOutResultBase,
  FanOutStatus,
  FanOutSuccess,
} from './FanOutResult';
export { FanOutReport } from './FanOutReport';
export type { FanOutCounts } from './FanOutReport';
export type { FanOutStream } from './FanOutStream';
export type { FanOutSummary } from './FanOutSummary';
export { OrganizationAccounts, ORGANIZATIONS_DEFAULT_RATE_LIMIT } from './OrganizationAccounts';
export type { AccountSpec, OrganizationMember, OrganizationSpec } from './OrganizationAccounts';
export { regionalAccountSetFromOrganization } from './regionalAccountSetFromOrganization';
export type {
  OrganizationRegionalAccountsSpec,
  OrganizationSetSpec,
} from './regionalAccountSetFromOrganization';
export {
  AccountNotActiveError,
  FanOutStoppedError,
  FilterNotReplaceableError,
  isAccountNotActiveError,
  isFanOutStoppedError,
  isFilterNotReplaceableError,
  isNotRegionalAccountsError,
  isOrganizationSpecError,
  isRegionDiscoveryRequiredError,
  isRegionFilterError,
  isRegionNotSelectedError,
  NotRegionalAccountsError,
  OrganizationSpecError,
  RegionDiscoveryRequiredError,
  RegionFilterError,
  RegionNotSelectedError,
} from './errors';

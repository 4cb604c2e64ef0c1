/**
 * @cs/regional: Rate-limited regional AWS clients, region containers and multi-account fan-out.
 *
 * The package is grouped by concept: `account/` (one account in one region), `regions/` (one
 * account across regions), `fanout/` (many accounts and regions at once) and `organization/` (the
 * accounts of an AWS Organization). Each concept keeps its own errors; `errors.ts` holds their base.
 *
 * @packageDocumentation
 */

// Errors: the base every error of the package extends.
export { isRegionalError, RegionalError } from './errors';

// Account: a rate-limited AWS account in one region (account/).
export { DEFAULT_CLIENT_CACHE_SIZE, RegionalAccount } from './account/RegionalAccount';
export type {
  CallOptions,
  PaginationConfig,
  RateLimitOperationSpec,
  RegionalAccountOptions,
  SdkCommand,
} from './account/RegionalAccount';
export type { AdaptiveOptions } from './account/limits/AdaptiveOptions';
export type { ServiceModuleLoader } from './account/ServiceModuleLoader';
export {
  clearRegionalAccountFactory,
  regionalAccountFactory,
} from './account/regionalAccountFactory';
export type {
  RegionalAccountFactoryOptions,
  RegionalAccountSpec,
} from './account/regionalAccountFactory';
export type {
  AdaptiveRateEvent,
  CredentialsRefreshEvent,
  RateLimitWaitEvent,
  RegionalAccountEventMap,
  RequestEvent,
  RequestTarget,
  RetryEvent,
  ThrottledEvent,
} from './account/RegionalAccountEvents';
export {
  AwsClientError,
  isAwsClientError,
  isOperationNotPaginatedError,
  isRegionRequiredError,
  isServiceClientNotInstalledError,
  isUnknownOperationError,
  OperationNotPaginatedError,
  RegionRequiredError,
  ServiceClientNotInstalledError,
  UnknownOperationError,
} from './account/errors';
export type { AwsCallTarget } from './account/errors';

// Regions: one account across the regions a filter selects (regions/).
export { RegionalAccounts, isRegionalAccounts } from './regions/RegionalAccounts';
export type { RegionalAccountsSpec } from './regions/RegionalAccounts';
export type {
  PartitionFilter,
  RegionalAccountsFilter,
  RegionsFilter,
} from './regions/RegionalAccountsFilter';
export {
  clearRegionalAccountsFactory,
  regionalAccountsFactory,
} from './regions/regionalAccountsFactory';
export { resolveRegions } from './regions/resolveRegions';
export type { ResolveRegionsOptions } from './regions/resolveRegions';
export {
  FilterNotReplaceableError,
  isFilterNotReplaceableError,
  isRegionDiscoveryRequiredError,
  isRegionFilterError,
  isRegionNotSelectedError,
  RegionDiscoveryRequiredError,
  RegionFilterError,
  RegionNotSelectedError,
} from './regions/errors';

// Fan-out: a function run over many accounts and regions, its results and report (fanout/).
export { RegionalAccountSet } from './fanout/RegionalAccountSet';
export type { FanOutFunction, SkippedAccount, TargetIdentity } from './fanout/RegionalAccountSet';
export { regionalAccountSetFactory } from './fanout/regionalAccountSetFactory';
export type { RegionalAccountSetSpec } from './fanout/regionalAccountSetFactory';
export { classifyError } from './fanout/classifyError';
export type { ClassifyErrorContext, ErrorClass, ErrorClassification } from './fanout/classifyError';
export type { FanOutOptions, FanOutProgress, IgnoreRule } from './fanout/FanOutOptions';
export type {
  FanOutFailure,
  FanOutResult,
  FanOutResultBase,
  FanOutStatus,
  FanOutSuccess,
} from './fanout/FanOutResult';
export { FanOutReport } from './fanout/FanOutReport';
export type { FanOutCounts } from './fanout/FanOutReport';
export type { FanOutStream } from './fanout/FanOutStream';
export type { FanOutSummary } from './fanout/FanOutSummary';
export {
  FanOutStoppedError,
  isFanOutStoppedError,
  isNotRegionalAccountsError,
  NotRegionalAccountsError,
} from './fanout/errors';

// Organization: the member accounts of an AWS Organization as a fan-out set (organization/).
export {
  OrganizationAccounts,
  ORGANIZATIONS_DEFAULT_RATE_LIMIT,
} from './organization/OrganizationAccounts';
export type {
  AccountSpec,
  OrganizationMember,
  OrganizationSpec,
} from './organization/OrganizationAccounts';
export { regionalAccountSetFromOrganization } from './organization/regionalAccountSetFromOrganization';
export type {
  OrganizationRegionalAccountsSpec,
  OrganizationSetSpec,
} from './organization/regionalAccountSetFromOrganization';
export {
  AccountNotActiveError,
  isAccountNotActiveError,
  isOrganizationSpecError,
  OrganizationSpecError,
} from './organization/errors';

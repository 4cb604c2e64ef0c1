/**
 * The errors of `@cs/regional`. Each has a readonly `name`, and each has a guard that checks `name`
 * as well as `instanceof`, so that two copies of the package (CJS and ESM) agree.
 */

import { stripResponse } from '@cs/session';
import { awsErrorCode, awsErrorHint, redactSecrets } from './internal/awsErrorHints';

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The base class of every error this package throws (errors of AWS are wrapped in
 * {@link AwsClientError}, itself a `RegionalError`).
 *
 * @example
 * ```ts
 * try { await ra.callClient('sts', 'GetCallerIdentity'); } catch (e) { if (isRegionalError(e)) console.warn(e.message); }
 * ```
 * @public
 */
export class RegionalError extends Error {
  override readonly name: string = 'RegionalError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['RegionalError'];
}

/**
 * Whether `e` is a {@link RegionalError} (any error of this package). Checks a brand that every
 * copy of the package shares, as well as `instanceof`.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionalError(e)) console.warn(e.message);
 * ```
 * @public
 */
export const isRegionalError = (e: unknown): e is RegionalError =>
  isErrorOf(e, [
    'RegionalError',
    'AwsClientError',
    'ServiceClientNotInstalledError',
    'UnknownOperationError',
    'OperationNotPaginatedError',
    'RegionRequiredError',
    'RegionFilterError',
    'FilterNotReplaceableError',
    'RegionNotSelectedError',
    'RegionDiscoveryRequiredError',
    'NotRegionalAccountsError',
    'FanOutStoppedError',
    'AccountNotActiveError',
    'OrganizationSpecError',
  ]);

/** Where an AWS call went: the fields {@link AwsClientError} reports. @public */
export interface AwsCallTarget {
  /** The account id, when it could be read. */
  readonly accountId?: string | undefined;
  /** The account's alias (its id when it has none), when it could be read. */
  readonly alias?: string | undefined;
  /** The region of the call. */
  readonly region: string;
  /** The SDK service id (`sts`, `ec2`, ...). */
  readonly service: string;
  /** The operation (`GetCallerIdentity`, ...). */
  readonly operation: string;
}

/**
 * An AWS call failed. Keeps a sanitized copy of the SDK's error as `cause` (`stripResponse` of
 * `@cs/session`: name, message, code, `$metadata`, `$fault`; never the raw response or request),
 * its error code as `code`, says where the call went (account id, alias, region, service, operation) and adds the original's hints:
 * `NoSuch*` (the item does not exist), `AccessDenied` (permissions), `AuthFailure`,
 * `InvalidClientTokenId`, `UnrecognizedClientException` (the region is not enabled for the account
 * or the credentials are wrong: remove the region from the filter). Access keys and tokens that
 * appear in the original message are masked.
 *
 * @example
 * ```ts
 * try { await ra.callClient('iam', 'GetRole', { RoleName: 'x' }); }
 * catch (e) { if (isAwsClientError(e) && e.code === 'NoSuchEntity') console.log(e.hint); }
 * ```
 * @public
 */
export class AwsClientError extends RegionalError implements AwsCallTarget {
  override readonly name = 'AwsClientError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['RegionalError', 'AwsClientError'];
  /** The AWS error code (the SDK error's `name`, e.g. `AccessDenied`). */
  readonly code: string;
  /** The hint for this kind of error, or `undefined` when there is none. */
  readonly hint: string | undefined;
  /** The HTTP status of AWS's answer, when there was one. */
  readonly httpStatusCode: number | undefined;
  /** The AWS request id, when there was one. */
  readonly requestId: string | undefined;
  readonly accountId: string | undefined;
  readonly alias: string | undefined;
  readonly region: string;
  readonly service: string;
  readonly operation: string;

  /**
   * @param cause - the error the SDK threw
   * @param target - where the call went
   */
  constructor(cause: unknown, target: AwsCallTarget) {
    const code = awsErrorCode(cause);
    const hint = awsErrorHint(code);
    const original = cause instanceof Error ? cause.message : String(cause);
    const who =
      target.accountId === undefined
        ? 'an account whose id could not be read'
        : target.alias !== undefined && target.alias !== target.accountId
          ? `account ${target.alias} (${target.accountId})`
          : `account ${target.accountId}`;
    super(
      `${target.service}:${target.operation} failed in ${who}, region ${target.region}: ` +
        `${code}: ${redactSecrets(original)}${hint === undefined ? '' : ` (${hint})`}`,
      // Never the SDK's error itself: its hidden $response holds the request's headers.
      { cause: stripResponse(cause) },
    );
    const metadata = (cause as { $metadata?: { httpStatusCode?: number; requestId?: string } })
      ?.$metadata;
    this.code = code;
    this.hint = hint;
    this.httpStatusCode = metadata?.httpStatusCode;
    this.requestId = metadata?.requestId;
    this.accountId = target.accountId;
    this.alias = target.alias;
    this.region = target.region;
    this.service = target.service;
    this.operation = target.operation;
  }
}

/**
 * Whether `e` is an {@link AwsClientError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isAwsClientError(e)) console.log(e.code, e.accountId, e.region);
 * ```
 * @public
 */
export const isAwsClientError = (e: unknown): e is AwsClientError =>
  isErrorOf(e, ['AwsClientError']);

/**
 * The dynamic API (`callClient`, `paginate`) needs `@aws-sdk/client-<service>`, and it is not
 * installed (or the service id is misspelled). The message names the package to install.
 *
 * @example
 * ```ts
 * await ra.callClient('sqs', 'ListQueues');
 * // throws ServiceClientNotInstalledError: service sqs needs the package @aws-sdk/client-sqs ...
 * ```
 * @public
 */
export class ServiceClientNotInstalledError extends RegionalError {
  override readonly name = 'ServiceClientNotInstalledError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'ServiceClientNotInstalledError',
  ];
  /**
   * @param service - the service id asked for
   * @param packageName - the package that was not found
   * @param cause - the loader's error
   */
  constructor(
    readonly service: string,
    readonly packageName: string,
    cause?: unknown,
  ) {
    super(
      `service ${service} needs the package ${packageName}, which is not installed: ` +
        `install it next to @cs/regional (pnpm add ${packageName}), or check the service id ` +
        `(the SDK's, e.g. sts, ec2, iam, organizations)`,
      { cause },
    );
  }
}

/**
 * Whether `e` is a {@link ServiceClientNotInstalledError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isServiceClientNotInstalledError(e)) console.error(`run: pnpm add ${e.packageName}`);
 * ```
 * @public
 */
export const isServiceClientNotInstalledError = (e: unknown): e is ServiceClientNotInstalledError =>
  isErrorOf(e, ['ServiceClientNotInstalledError']);

/**
 * The service has no operation of that name (in either spelling, `GetCallerIdentity` or
 * `get_caller_identity`). The message lists the closest names the service has.
 *
 * @example
 * ```ts
 * await ra.callClient('sts', 'get_caller_identiy');
 * // throws UnknownOperationError: service sts has no operation get_caller_identiy; did you mean GetCallerIdentity?
 * ```
 * @public
 */
export class UnknownOperationError extends RegionalError {
  override readonly name = 'UnknownOperationError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'UnknownOperationError',
  ];
  /**
   * @param service - the service id
   * @param operation - the operation as the caller spelled it
   * @param suggestions - the closest operation names of the service
   */
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly suggestions: readonly string[],
  ) {
    super(
      `service ${service} has no operation ${operation}; ` +
        (suggestions.length > 0
          ? `did you mean ${suggestions.join(', ')}?`
          : 'check the name against the API reference of the service'),
    );
  }
}

/**
 * Whether `e` is an {@link UnknownOperationError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isUnknownOperationError(e)) console.error(e.suggestions);
 * ```
 * @public
 */
export const isUnknownOperationError = (e: unknown): e is UnknownOperationError =>
  isErrorOf(e, ['UnknownOperationError']);

/**
 * `paginate` was asked for an operation that the SDK has no paginator for.
 *
 * @example
 * ```ts
 * ra.paginate('sts', 'GetCallerIdentity');
 * // throws OperationNotPaginatedError: sts:GetCallerIdentity has no paginator ...
 * ```
 * @public
 */
export class OperationNotPaginatedError extends RegionalError {
  override readonly name = 'OperationNotPaginatedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'OperationNotPaginatedError',
  ];
  /**
   * @param service - the service id
   * @param operation - the operation's SDK name
   */
  constructor(
    readonly service: string,
    readonly operation: string,
  ) {
    super(
      `${service}:${operation} has no paginator in the SDK: call it with callClient and follow ` +
        `its next-token field yourself`,
    );
  }
}

/**
 * Whether `e` is an {@link OperationNotPaginatedError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isOperationNotPaginatedError(e)) useCallClientInstead();
 * ```
 * @public
 */
export const isOperationNotPaginatedError = (e: unknown): e is OperationNotPaginatedError =>
  isErrorOf(e, ['OperationNotPaginatedError']);

/**
 * A RegionalAccount was created without a region, and none was found where the SDK looks (the
 * account's session, `AWS_REGION`, the region of the session's profile in the shared files):
 * `looked` lists those places, and so does the message.
 *
 * @example
 * ```ts
 * new RegionalAccount(limit, account); // throws when no region can be found anywhere
 * ```
 * @public
 */
export class RegionRequiredError extends RegionalError {
  override readonly name = 'RegionRequiredError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'RegionRequiredError',
  ];
  /**
   * @param looked - where a region was looked for, in order (`Session.findRegion().looked`).
   */
  constructor(readonly looked: readonly string[] = []) {
    super(
      'a RegionalAccount needs a region' +
        (looked.length > 0 ? ` and none was found (looked at: ${looked.join('; ')})` : '') +
        ': pass it as the third argument (or region_name in the ' +
        "factory's spec), give the account's session a region, set AWS_REGION, or set region " +
        'in the profile of the shared config file',
    );
  }
}

/**
 * Whether `e` is a {@link RegionRequiredError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionRequiredError(e)) askForRegion();
 * ```
 * @public
 */
export const isRegionRequiredError = (e: unknown): e is RegionRequiredError =>
  isErrorOf(e, ['RegionRequiredError']);

/**
 * A RegionalAccounts `Filter` is wrong: an unknown partition or region name, an entry of the wrong
 * type, a global pseudo-region in `include`. Lists every problem at once, as `path: message`.
 *
 * @example
 * ```ts
 * resolveRegions({ Partitions: { aws: { Regions: { include: ['us-eats-1'] } } } });
 * // throws RegionFilterError: invalid region filter: Filter.Partitions.aws.Regions.include[0]: unknown region "us-eats-1" ...
 * ```
 * @public
 */
export class RegionFilterError extends RegionalError {
  override readonly name = 'RegionFilterError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['RegionalError', 'RegionFilterError'];
  /** @param problems - each problem as `path: message` */
  constructor(readonly problems: readonly string[]) {
    super(`invalid region filter: ${problems.join('; ')}`);
  }
}

/**
 * Whether `e` is a {@link RegionFilterError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionFilterError(e)) for (const p of e.problems) console.error(p);
 * ```
 * @public
 */
export const isRegionFilterError = (e: unknown): e is RegionFilterError =>
  isErrorOf(e, ['RegionFilterError']);

/**
 * Something tried to replace a RegionalAccounts container's whole `Filter`. The filter may only be
 * changed in place (the container follows it); build another container for another filter.
 *
 * @example
 * ```ts
 * container.Filter = {}; // throws FilterNotReplaceableError
 * container.Filter.Partitions = { aws: {} }; // fine: an in-place change
 * ```
 * @public
 */
export class FilterNotReplaceableError extends RegionalError {
  override readonly name = 'FilterNotReplaceableError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'FilterNotReplaceableError',
  ];
  constructor() {
    super(
      "a RegionalAccounts container's Filter cannot be replaced: change it in place " +
        '(container.Filter.Partitions = ...), or build another container for another filter',
    );
  }
}

/**
 * Whether `e` is a {@link FilterNotReplaceableError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isFilterNotReplaceableError(e)) mutateInPlace();
 * ```
 * @public
 */
export const isFilterNotReplaceableError = (e: unknown): e is FilterNotReplaceableError =>
  isErrorOf(e, ['FilterNotReplaceableError']);

/**
 * The strict accessor of a RegionalAccounts container was asked for a region that its filter does
 * not select.
 *
 * @example
 * ```ts
 * container.getOrThrow('eu-west-1'); // throws RegionNotSelectedError when the filter leaves it out
 * ```
 * @public
 */
export class RegionNotSelectedError extends RegionalError {
  override readonly name = 'RegionNotSelectedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'RegionNotSelectedError',
  ];
  /**
   * @param region - the region asked for
   * @param selected - the regions the filter selects
   */
  constructor(
    readonly region: string,
    readonly selected: readonly string[],
  ) {
    super(
      `region ${region} is not selected by this RegionalAccounts container's filter ` +
        `(it selects ${selected.length === 0 ? 'no region' : selected.join(', ')}): ` +
        'add it to Filter.Partitions.<partition>.Regions.include, or remove it from exclude',
    );
  }
}

/**
 * Whether `e` is a {@link RegionNotSelectedError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionNotSelectedError(e)) console.error(e.selected);
 * ```
 * @public
 */
export const isRegionNotSelectedError = (e: unknown): e is RegionNotSelectedError =>
  isErrorOf(e, ['RegionNotSelectedError']);

/**
 * A RegionalAccounts container in discovery mode (`Filter.Discover: true`) was read before the
 * account's enabled regions were fetched.
 *
 * @example
 * ```ts
 * const c = new RegionalAccounts({ Account, Filter: { Discover: true } });
 * c.keys(); // throws RegionDiscoveryRequiredError
 * await c.discover(); c.keys(); // fine
 * ```
 * @public
 */
export class RegionDiscoveryRequiredError extends RegionalError {
  override readonly name = 'RegionDiscoveryRequiredError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'RegionDiscoveryRequiredError',
  ];
  constructor() {
    super(
      'this RegionalAccounts container is in discovery mode (Filter.Discover: true) and has not ' +
        'asked the account for its enabled regions yet: await container.discover() first, or ' +
        'build it with await RegionalAccounts.create(spec)',
    );
  }
}

/**
 * Whether `e` is a {@link RegionDiscoveryRequiredError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRegionDiscoveryRequiredError(e)) await container.discover();
 * ```
 * @public
 */
export const isRegionDiscoveryRequiredError = (e: unknown): e is RegionDiscoveryRequiredError =>
  isErrorOf(e, ['RegionDiscoveryRequiredError']);

/**
 * A RegionalAccountSet was given something that is not a RegionalAccounts container.
 *
 * @example
 * ```ts
 * new RegionalAccountSet(regionalAccount); // throws NotRegionalAccountsError
 * ```
 * @public
 */
export class NotRegionalAccountsError extends RegionalError {
  override readonly name = 'NotRegionalAccountsError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'NotRegionalAccountsError',
  ];
  /** @param what - a description of the value given */
  constructor(readonly what: string) {
    super(
      `a RegionalAccountSet holds RegionalAccounts containers only, got ${what}: wrap a single ` +
        'account in new RegionalAccounts({ Account, Filter }) (or regionalAccountsFactory) first',
    );
  }
}

/**
 * Whether `e` is a {@link NotRegionalAccountsError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isNotRegionalAccountsError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isNotRegionalAccountsError = (e: unknown): e is NotRegionalAccountsError =>
  isErrorOf(e, ['NotRegionalAccountsError']);

/**
 * A fan-out target was not run, or was abandoned, because the run stopped: it was aborted
 * (`signal`), or too many targets failed (`failFast`, `tolerance`). Such targets are reported as
 * `skipped` with this error.
 *
 * @example
 * ```ts
 * const { results } = await set.map(fn, { failFast: true });
 * results.filter((r) => isFanOutStoppedError(r.error)); // the targets the stop left out
 * ```
 * @public
 */
export class FanOutStoppedError extends RegionalError {
  override readonly name = 'FanOutStoppedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'FanOutStoppedError',
  ];
  /**
   * @param reason - why the run stopped
   * @param detail - what triggered it
   */
  constructor(
    readonly reason: 'aborted' | 'fail-fast' | 'tolerance',
    detail: string,
  ) {
    super(`the fan-out stopped (${reason}: ${detail}) before this target finished`);
  }
}

/**
 * Whether `e` is a {@link FanOutStoppedError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isFanOutStoppedError(r.error)) console.log('not run:', r.region);
 * ```
 * @public
 */
export const isFanOutStoppedError = (e: unknown): e is FanOutStoppedError =>
  isErrorOf(e, ['FanOutStoppedError']);

/**
 * A member account of an organisation is not active (`SUSPENDED` or `PENDING_CLOSURE`): it is left
 * out of the work and reported as `skipped` with this error.
 *
 * @example
 * ```ts
 * results.filter((r) => isAccountNotActiveError(r.error)).map((r) => r.accountId);
 * ```
 * @public
 */
export class AccountNotActiveError extends RegionalError {
  override readonly name = 'AccountNotActiveError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'AccountNotActiveError',
  ];
  /**
   * @param accountId - the member account's id
   * @param accountName - its name in the organisation
   * @param status - its Organizations status
   */
  constructor(
    readonly accountId: string,
    readonly accountName: string | undefined,
    readonly status: string,
  ) {
    super(
      `account ${accountName === undefined ? accountId : `${accountName} (${accountId})`} of the ` +
        `organisation is ${status}, not ACTIVE: it was left out`,
    );
  }
}

/**
 * Whether `e` is an {@link AccountNotActiveError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isAccountNotActiveError(e)) console.log(e.status);
 * ```
 * @public
 */
export const isAccountNotActiveError = (e: unknown): e is AccountNotActiveError =>
  isErrorOf(e, ['AccountNotActiveError']);

/**
 * An `Organization` spec is wrong (no management `Account`, a bad OU id, a role name with a
 * slash, ...). Lists every problem at once, as `path: message`.
 *
 * @example
 * ```ts
 * await regionalAccountSetFromOrganization({ Organization: { RoleName: 'x' } });
 * // throws OrganizationSpecError: Organization.Account: required ...
 * ```
 * @public
 */
export class OrganizationSpecError extends RegionalError {
  override readonly name = 'OrganizationSpecError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'RegionalError',
    'OrganizationSpecError',
  ];
  /** @param problems - each problem as `path: message` */
  constructor(readonly problems: readonly string[]) {
    super(`invalid Organization spec: ${problems.join('; ')}`);
  }
}

/**
 * Whether `e` is an {@link OrganizationSpecError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isOrganizationSpecError(e)) for (const p of e.problems) console.error(p);
 * ```
 * @public
 */
export const isOrganizationSpecError = (e: unknown): e is OrganizationSpecError =>
  isErrorOf(e, ['OrganizationSpecError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

/**
 * The errors of a regional account (`account/`): an AWS call that failed, a service client that is not
 * installed, an operation that does not exist or does not paginate, a call without a region.
 * Each extends {@link RegionalError} and has a guard that reads the cs-aws error brand
 * (CONTRIBUTING.md, "Errors").
 */

import { stripResponse } from '@cs/session';
import { errorNames, isErrorOf, RegionalError } from '../errors';
import { awsErrorCode, awsErrorHint, redactSecrets } from './awsErrorHints';

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

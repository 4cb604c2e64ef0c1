/**
 * The errors of AWS Organizations (`organization/`): a member account that is not ACTIVE, a wrong
 * `Organization` spec.
 * Each extends {@link RegionalError} and has a guard that reads the cs-aws error brand
 * (CONTRIBUTING.md, "Errors").
 */

import { errorNames, isErrorOf, RegionalError } from '../errors';

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

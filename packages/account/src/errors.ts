/**
 * An account's aliases could not be listed (IAM `ListAccountAliases` failed). `accountId` says
 * which account, `code` the IAM error code; `cause` is the SDK error without its raw response.
 *
 * @example
 * ```ts
 * try { await account.aliases(); } catch (e) { if (isAccountError(e)) console.log(e.code); }
 * ```
 * @public
 */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  /**
   * @param accountId - The account, or `'unknown'` when its id was not known yet.
   * @param code - The IAM error code.
   * @param detail - The IAM error message.
   * @param options - `cause`: the SDK error.
   */
  constructor(
    readonly accountId: string,
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `listing the aliases of account ${accountId} failed: ${code}: ${detail}. ` +
        'The identity needs iam:ListAccountAliases in that account.',
      options,
    );
  }
}

/**
 * True for an {@link AccountError}; checks `name` too, so two copies of the package agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await account.aliases(); } catch (e) { if (isAccountError(e)) console.error(e.accountId, e.code); }
 * ```
 * @public
 */
export const isAccountError = (e: unknown): e is AccountError =>
  e instanceof Error && e.name === 'AccountError';

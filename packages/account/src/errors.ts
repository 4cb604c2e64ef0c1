/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

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
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['AccountError'];
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
export const isAccountError = (e: unknown): e is AccountError => isErrorOf(e, ['AccountError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

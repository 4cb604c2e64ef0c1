import { inspect } from 'node:util';
import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { stripResponse } from '@cs/session';
import type { Session } from '@cs/session';
import { AccountError } from './errors';

/**
 * An AWS account seen through a {@link @cs/session!Session}: its id, its aliases (IAM
 * `ListAccountAliases`, cached, concurrent first calls merged, a failure never cached) and its
 * display alias. The caches follow the session: after `assumeRole` or `revert`, the account is
 * that of the new active identity.
 *
 * @example
 * ```ts
 * const account = new Account(session);
 * console.log(await account.accountId(), await account.alias());
 * ```
 * @public
 */
export class Account {
  readonly #session: Session;
  #aliases:
    { credentials: ReturnType<Session['credentials']>; promise: Promise<string[]> } | undefined;

  /**
   * @param session - The session whose active identity this account is.
   */
  constructor(session: Session) {
    this.#session = session;
  }

  /** The session behind the account. */
  session(): Session {
    return this.#session;
  }

  /**
   * The account id (STS `GetCallerIdentity`, memoized by the session; for an assumed role, from
   * the assumption's answer, without a call).
   * @throws The session's errors (an `AssumeRoleError` for a role that cannot be assumed).
   */
  accountId(): Promise<string> {
    return this.#session.accountId();
  }

  /**
   * The account's aliases (at most one in AWS), cached; concurrent first calls share one call.
   * @throws {@link AccountError} when IAM refuses or fails.
   */
  aliases(): Promise<string[]> {
    const credentials = this.#session.credentials();
    if (this.#aliases?.credentials === credentials) return this.#aliases.promise;
    const promise = this.#listAliases();
    this.#aliases = { credentials, promise };
    promise.catch(() => {
      if (this.#aliases?.promise === promise) this.#aliases = undefined;
    });
    return promise;
  }

  async #listAliases(): Promise<string[]> {
    const session = this.#session;
    // Built for this lookup and destroyed after it (the aliases are cached, not the client): an
    // account of a fan-out over thousands keeps no IAM client.
    const iam = session.createClient(IAMClient, { region: session.region ?? 'us-east-1' });
    const aliases: string[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await iam.send(
          new ListAccountAliasesCommand(marker ? { Marker: marker } : {}),
        );
        aliases.push(...(page.AccountAliases ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    } catch (error) {
      if (
        error instanceof Error &&
        /^(AssumeRoleError|CredentialsExpiredError)$/.test(error.name)
      ) {
        throw error;
      }
      const accountId = await session.accountId().catch(() => 'unknown');
      throw new AccountError(
        accountId,
        error instanceof Error ? error.name : 'UnknownError',
        error instanceof Error ? error.message : String(error),
        { cause: stripResponse(error) },
      );
    } finally {
      iam.destroy();
    }
    return aliases;
  }

  /**
   * The first alias, else the account id.
   * @throws {@link AccountError} when the aliases cannot be listed.
   */
  async alias(): Promise<string> {
    const [first] = await this.aliases();
    return first ?? (await this.accountId());
  }

  /** A description without any secret. */
  toJSON(): { session: ReturnType<Session['toJSON']> } {
    return { session: this.#session.toJSON() };
  }

  /** A description without any secret. */
  toString(): string {
    return `Account(${String(this.#session)})`;
  }

  /** What `util.inspect` and `console.log` show: the same description as `toJSON()`, without any secret. */
  [inspect.custom](): string {
    return `Account ${inspect(this.toJSON(), { depth: 4 })}`;
  }
}

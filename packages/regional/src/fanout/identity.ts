/**
 * Who a RegionalAccount's account is (id and alias), for fan-out results: known in advance for
 * accounts listed by Organizations, else read once per account object through the account.
 */

import type { Account } from '@cs/account';

/** An account's id and alias. @internal */
export interface AccountIdentity {
  readonly accountId: string;
  readonly alias: string;
}

const hints = new WeakMap<Account, AccountIdentity>();
const resolved = new WeakMap<Account, AccountIdentity>();
const pending = new WeakMap<Account, Promise<AccountIdentity>>();

/** Records what is known of an account without asking it (from an Organizations listing). @internal */
export const hintIdentity = (account: Account, identity: AccountIdentity): void => {
  hints.set(account, identity);
};

/** What is known of an account's identity now, without asking. @internal */
export const knownIdentity = (account: Account): Partial<AccountIdentity> =>
  resolved.get(account) ?? hints.get(account) ?? {};

const pendingIds = new WeakMap<Account, Promise<string>>();

/**
 * The account's id only (no alias lookup): the hinted or known one, else read once per account.
 *
 * @internal
 */
export const resolveAccountId = (account: Account): Promise<string> => {
  const done = resolved.get(account) ?? hints.get(account);
  if (done !== undefined) return Promise.resolve(done.accountId);
  let promise = pendingIds.get(account);
  if (promise === undefined) {
    promise = account.accountId();
    pendingIds.set(account, promise);
    promise.catch(() => pendingIds.delete(account));
  }
  return promise;
};

/**
 * The account's id (its failure is the caller's failure) and alias (falling back to the id when
 * it cannot be read), once per account object; hinted accounts are never asked.
 *
 * @internal
 */
export const resolveIdentity = (account: Account): Promise<AccountIdentity> => {
  const done = resolved.get(account) ?? hints.get(account);
  if (done !== undefined) return Promise.resolve(done);
  let promise = pending.get(account);
  if (promise === undefined) {
    promise = (async () => {
      // Both at once, so that no lookup starts after the other ends (a stopped run leaves none).
      const aliasLookup = account.alias().then(
        (alias) => alias,
        () => undefined,
      );
      const accountId = await resolveAccountId(account);
      const alias = (await aliasLookup) ?? accountId;
      const identity = { accountId, alias };
      resolved.set(account, identity);
      return identity;
    })();
    pending.set(account, promise);
    promise.then(
      () => pending.delete(account),
      () => pending.delete(account),
    );
  }
  return promise;
};

/** The account id and alias of a target's account, read once per account object. */

import type { RegionalAccount } from '@cs/regional';

/** Account id and alias once per account object, as the in-process fan-out reads them. */
const identities = new WeakMap<object, Promise<{ accountId: string; alias: string }>>();
const ids = new WeakMap<object, Promise<string>>();

/** The account id of `ra`'s account, and its alias when `aliases` (its id when it has none). */
export async function identify(
  ra: RegionalAccount,
  aliases: boolean,
): Promise<{ accountId: string; alias: string | undefined }> {
  const account = ra.account();
  let id = ids.get(account);
  if (id === undefined) {
    id = account.accountId();
    ids.set(account, id);
    id.catch(() => ids.delete(account));
  }
  if (!aliases) return { accountId: await id, alias: undefined };
  let both = identities.get(account);
  if (both === undefined) {
    const alias = account.alias().then(
      (a) => a,
      () => undefined,
    );
    both = id.then(async (accountId) => ({ accountId, alias: (await alias) ?? accountId }));
    identities.set(account, both);
    both.catch(() => identities.delete(account));
  }
  return both;
}

/** Sets the identity of `account` to `identity` (an organisation member's, from its listing). */
export function setIdentity(account: object, identity: { accountId: string; alias: string }): void {
  ids.set(account, Promise.resolve(identity.accountId));
  identities.set(account, Promise.resolve(identity));
}

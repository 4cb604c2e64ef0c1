/** The members of each organisation entry, as this worker lists them (its own view). */

import type { RegionalAccountsConfig } from '@cs/config';
import type { OrganizationMember, ServiceModuleLoader } from '@cs/regional';
import { ConfigurationMismatchError } from '../errors';
import { listMembers } from '../internal/expand';

/** How long a worker trusts its listing of an organisation before it lists it again for a member it does not find (ms). */
const MEMBERS_FRESH_MS = 5_000;

/** The active member `accountId` of the organisation of entry `section` (at `key`, its path). */
export type MemberOf = (
  key: string,
  section: RegionalAccountsConfig,
  accountId: string,
) => Promise<OrganizationMember>;

/** Organisation members as this worker lists them, each organisation listed once (again when stale). */
export function createMembers(loadServiceModule: ServiceModuleLoader | undefined): MemberOf {
  const memberLists = new Map<string, { at: number; list: Promise<OrganizationMember[]> }>();
  return async (key, section, accountId) => {
    let cached = memberLists.get(key);
    for (let attempt = 0; ; attempt += 1) {
      if (cached === undefined) {
        const list = listMembers(section, { loadServiceModule });
        cached = { at: performance.now(), list };
        memberLists.set(key, cached);
        list.catch(() => memberLists.delete(key));
      }
      const found = (await cached.list).find((m) => m.id === accountId);
      if (found?.accountSpec !== undefined) return found;
      // Listed a while ago: the organisation may have changed since; list it once more.
      if (attempt === 0 && performance.now() - cached.at > MEMBERS_FRESH_MS) {
        memberLists.delete(key);
        cached = undefined;
        continue;
      }
      throw new ConfigurationMismatchError(
        found === undefined
          ? `${key}: account ${accountId}, which the run names, is not a member of the organisation as this worker lists it (through its own configuration and credentials); start the worker with the producer's configuration and environment, or submit the run again`
          : `${key}: account ${accountId}, which the run names, is ${found.status.toLowerCase()} in the organisation as this worker lists it, not active: submit the run again`,
      );
    }
  };
}

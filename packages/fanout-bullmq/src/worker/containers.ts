/** The RegionalAccounts of each entry (and organisation member), built once by this worker. */

import { buildRegionalAccounts } from '@cs/config';
import type { RegionalAccountsConfig } from '@cs/config';
import type { OrganizationMember, RegionalAccounts, ServiceModuleLoader } from '@cs/regional';
import { ConfigurationMismatchError } from '../errors';
import { memberEntry } from '../internal/expand';
import { withMemberLimits } from '../internal/plan';
import type { LoadedQueueConfig } from '../internal/plan';
import type { RunMeta } from '../internal/protocol';
import type { RateLimitRedis } from './connections';
import { setIdentity } from './identity';
import type { MemberOf } from './members';

/** The container of entry `entry` of the run's section (of member `accountId` for an organisation). */
export type ContainerFor = (
  meta: RunMeta,
  entries: RegionalAccountsConfig[],
  entry: number,
  accountId: string | undefined,
) => Promise<RegionalAccounts>;

/** Containers by entry (and member), built once, their regions discovered once. */
export function createContainers(deps: {
  readonly config: LoadedQueueConfig;
  readonly memberOf: MemberOf;
  readonly rateLimitRedis: RateLimitRedis;
  readonly loadServiceModule: ServiceModuleLoader | undefined;
}): ContainerFor {
  const { config: loaded, memberOf, rateLimitRedis, loadServiceModule } = deps;
  const containers = new Map<string, Promise<RegionalAccounts>>();
  return (meta, entries, entry, accountId) => {
    const path = `${meta.section}[${entry}]`;
    const key = accountId === undefined ? path : `${path}:${accountId}`;
    let container = containers.get(key);
    if (container === undefined) {
      container = (async () => {
        let section = entries[entry];
        if (section === undefined) {
          throw new Error(`${meta.section} has no entry ${entry} in this worker's configuration`);
        }
        let member: OrganizationMember | undefined;
        if (section.Organization !== undefined) {
          if (accountId === undefined) {
            throw new ConfigurationMismatchError(
              `${path} takes its accounts from an organisation in this worker's configuration, but the job names no member account; start the worker with the producer's configuration`,
            );
          }
          member = await memberOf(path, section, accountId);
          section = withMemberLimits(memberEntry(section, member), member.id);
        } else if (accountId !== undefined) {
          throw new ConfigurationMismatchError(
            `${path} has a fixed account in this worker's configuration, but the job names the organisation member ${accountId}; start the worker with the producer's configuration`,
          );
        }
        const built = buildRegionalAccounts(section, {
          source: loaded.file,
          path: `${path}.RegionalAccounts`,
          loadRateLimitRedis: () => rateLimitRedis,
          ...(loadServiceModule === undefined ? {} : { loadServiceModule }),
        });
        if (member !== undefined) {
          // A member's identity is its listing's, as in-process (its name as its alias).
          setIdentity(built.account(), { accountId: member.id, alias: member.name ?? member.id });
        }
        if (built.Filter.Discover === true) await built.discover();
        return built;
      })();
      containers.set(key, container);
      container.catch(() => containers.delete(key));
    }
    return container;
  };
}

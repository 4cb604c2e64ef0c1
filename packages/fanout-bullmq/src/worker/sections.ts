/** The worker's view of its configuration's sections: their digests and their Redis limits. */

import type { RegionalAccountsConfig } from '@cs/config';
import { appsOf, digestOf, sectionOf, sectionPath, withRedisLimits } from '../internal/plan';
import type { LoadedQueueConfig } from '../internal/plan';
import type { RunMeta } from '../internal/protocol';

/** A section of the worker's configuration: its digest and entries, or no digest when it has none. */
export type SectionView =
  { digest: string; entries: RegionalAccountsConfig[] } | { digest: undefined };

/** A run's section in the worker's configuration (by the run's section path and app). */
export type SectionFor = (meta: Pick<RunMeta, 'section' | 'app'>) => SectionView;

/**
 * The sections of `config`, each checked and given its limits in the Redis at `url` once: every
 * section now, not at a run's first job.
 */
export function createSections(config: LoadedQueueConfig, url: string): SectionFor {
  /** Sections by app, checked and given their Redis limits once. */
  const sections = new Map<string, SectionView>();
  const sectionFor: SectionFor = (meta) => {
    let found = sections.get(meta.section);
    if (found === undefined) {
      let section;
      try {
        section = sectionOf(config, meta.app);
      } catch {
        section = undefined;
      }
      if (section === undefined) found = { digest: undefined };
      else {
        const digest = digestOf(section);
        found = {
          digest,
          entries: withRedisLimits(section, url, digest).map((e) => e.RegionalAccounts),
        };
      }
      sections.set(meta.section, found);
    }
    return found;
  };
  // Every section of the configuration checked and given its limits now, not at a run's first
  // job: the digest reads the whole section (O(entries)), once per worker rather than in a run.
  for (const app of appsOf(config.document)) sectionFor({ section: sectionPath(app), app });
  return sectionFor;
}

#!/usr/bin/env node
// Regenerates src/regions/partitionTable.json, the partitions and regions @cs/regional lists, from
// the installed AWS SDK's public `partition()` lookup (`@aws-sdk/core/client`): a region is listed
// when the SDK knows it (its answer carries a `description`), in the partition the SDK names. No
// file inside the SDK is read, and nothing is read at run time: the table is committed, and
// test/partitions.test.ts fails when the installed SDK lists a region the table lacks (or the
// reverse), saying to run this script (`pnpm --filter @cs/regional update:partitions`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TABLE = join(import.meta.dirname, '..', 'src', 'regions', 'partitionTable.json');

/** The table committed in src/regions/partitionTable.json. */
export function readTable(file = TABLE) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

const DIRECTIONS = [
  'north',
  'south',
  'east',
  'west',
  'central',
  'northeast',
  'northwest',
  'southeast',
  'southwest',
];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Every region name worth asking the SDK about: the table's own, each partition's global
 * pseudo-region, and `<prefix>-<direction>-<1..9>` for the prefixes of the table's regions and
 * every two-letter geography (so that a new geography of the `aws` partition is found too).
 */
export function candidates(table) {
  const names = new Set();
  const prefixes = new Set();
  for (const p of table) {
    names.add(`${p.id}-global`);
    for (const r of [...p.regions, ...p.nonRegional]) {
      names.add(r);
      const parts = r.split('-');
      if (parts.length >= 3) prefixes.add(parts.slice(0, -2).join('-'));
    }
  }
  for (const a of LETTERS) for (const b of LETTERS) prefixes.add(a + b);
  for (const prefix of prefixes) {
    for (const direction of DIRECTIONS) {
      for (let n = 1; n <= 9; n += 1) names.add(`${prefix}-${direction}-${n}`);
    }
  }
  return [...names];
}

/**
 * The table as the SDK's `partition()` sees it: the regions it lists, by partition, with the
 * partition's `implicitGlobalRegion`; each partition's `regionRegex` is kept from `table` (the
 * lookup does not return it). Throws for a partition that `table` does not have.
 */
export function probe(table, partition) {
  const byId = new Map(table.map((p) => [p.id, { ...p, regions: [], nonRegional: [] }]));
  for (const name of candidates(table)) {
    const answer = partition(name);
    if (answer.description === undefined) continue;
    const entry = byId.get(answer.name);
    if (entry === undefined) {
      throw new Error(
        `the SDK lists ${name} in a partition the table lacks (${answer.name}): add { id: "${answer.name}", regionRegex, regions: [], nonRegional: [] } to src/regions/partitionTable.json by hand, then run this script again`,
      );
    }
    entry.implicitGlobalRegion = answer.implicitGlobalRegion;
    (new RegExp(entry.regionRegex).test(name) ? entry.regions : entry.nonRegional).push(name);
  }
  return [...byId.values()].map((p) => ({
    ...p,
    regions: p.regions.sort(),
    nonRegional: p.nonRegional.sort(),
  }));
}

/** Writes the table, formatted as the repository's prettier configuration says. */
export async function writeTable(table, file = TABLE) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(table), { ...options, parser: 'json' }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { partition } = await import('@aws-sdk/core/client');
  const updated = probe(readTable(), partition);
  await writeTable(updated);
  const count = updated.reduce((n, p) => n + p.regions.length, 0);
  console.log(`${TABLE}: ${updated.length} partitions, ${count} regions`);
}

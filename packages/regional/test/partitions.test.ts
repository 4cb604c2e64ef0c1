import { partition } from '@aws-sdk/core/client';
import { describe, expect, it } from 'vitest';
import { resolveRegions } from '../src/regions/resolveRegions';
import { partitionOfRegion, sdkPartitions } from '../src/regions/partitions';
import { candidates, probe, readTable } from '../scripts/update-partitions.mjs';

describe('the partition data the AWS SDK ships', () => {
  it("is the committed table, exactly what the installed SDK's public partition() lists", () => {
    const table = readTable();
    // Tens of thousands of names asked: the table's own, global pseudo-regions, and every
    // <geography>-<direction>-<n> a new region could be called.
    expect(candidates(table).length).toBeGreaterThan(50_000);
    expect(
      probe(table, partition),
      'the installed SDK lists other regions: run pnpm --filter @cs/regional update:partitions',
    ).toEqual(table);
    for (const row of table) {
      for (const region of [...row.regions, ...row.nonRegional]) {
        expect(partition(region)).toMatchObject({
          name: row.id,
          description: expect.any(String),
          implicitGlobalRegion: row.implicitGlobalRegion,
        });
      }
    }
  });

  it('reads no file of the SDK at run time: the built package carries the table', async () => {
    const { readFileSync } = await import('node:fs');
    const built = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
    expect(built).not.toMatch(/partitions\.js|@aws-sdk\/core\/package\.json|createRequire/);
    expect(built).toContain('"eusc-de-east-1"');
  });

  it('agrees region by region with the SDK own partition() lookup', () => {
    const partitions = sdkPartitions();
    expect(partitions.size).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const p of partitions.values()) {
      for (const region of [...p.regions, ...p.nonRegional]) {
        expect(partition(region).name, region).toBe(p.id);
        checked += 1;
      }
      for (const region of p.regions) expect(p.regionRegex.test(region)).toBe(true);
      for (const region of p.nonRegional) expect(p.regionRegex.test(region)).toBe(false);
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('has the partitions and global pseudo-regions users name', () => {
    const partitions = sdkPartitions();
    expect([...partitions.keys()]).toEqual(expect.arrayContaining(['aws', 'aws-cn', 'aws-us-gov']));
    expect(partitions.get('aws')?.nonRegional).toEqual(['aws-global']);
    expect(partitions.get('aws-cn')?.nonRegional).toEqual(['aws-cn-global']);
    expect(partitions.get('aws')?.regions).toContain('us-east-1');
    expect(partitions.get('aws')?.implicitGlobalRegion).toBe('us-east-1');
  });

  it('finds the partition of a region', () => {
    expect(partitionOfRegion('cn-north-1')?.id).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-west-1')?.id).toBe('aws-us-gov');
    expect(partitionOfRegion('zz-nowhere')).toBeUndefined();
  });

  it('selects every region of aws by default, exactly the SDK list', () => {
    const expected = sdkPartitions().get('aws')!.regions;
    expect(resolveRegions(undefined)).toEqual(expected);
    expect(resolveRegions({})).toEqual(expected);
    expect(resolveRegions({ Partitions: {} })).toEqual(expected);
    expect(resolveRegions({ Partitions: { aws: null } })).toEqual(expected);
    expect(resolveRegions({ Partitions: { aws: { Regions: { include: [] } } } })).toEqual(expected);
  });
});

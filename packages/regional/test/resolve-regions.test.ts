import { describe, expect, it } from 'vitest';
import { isRegionFilterError, RegionFilterError } from '../src/regions/errors';
import { resolveRegions } from '../src/regions/resolveRegions';
import { sdkPartitions } from '../src/regions/partitions';

const aws = (): readonly string[] => sdkPartitions().get('aws')!.regions;

describe('resolveRegions', () => {
  it('keeps the listed regions only', () => {
    expect(
      resolveRegions({ Partitions: { aws: { Regions: { include: ['us-east-1', 'eu-west-1'] } } } }),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('expands globs with * and ?', () => {
    expect(resolveRegions({ Partitions: { aws: { Regions: { include: ['us-*'] } } } })).toEqual(
      aws().filter((r) => r.startsWith('us-')),
    );
    expect(
      resolveRegions({ Partitions: { aws: { Regions: { include: ['eu-??st-1'] } } } }),
    ).toEqual(aws().filter((r) => /^eu-..st-1$/.test(r)));
    expect(
      resolveRegions({ Partitions: { aws: { Regions: { include: ['eu-??st-1'] } } } }),
    ).toContain('eu-west-1');
  });

  it('lets exclude win over include', () => {
    const regions = resolveRegions({
      Partitions: { aws: { Regions: { include: ['us-*'], exclude: ['us-east-2', 'us-west-*'] } } },
    });
    expect(regions).toContain('us-east-1');
    expect(regions).not.toContain('us-east-2');
    expect(regions.some((r) => r.startsWith('us-west-'))).toBe(false);
    expect(
      resolveRegions({
        Partitions: { aws: { Regions: { include: ['us-east-1'], exclude: ['us-*'] } } },
      }),
    ).toEqual([]);
  });

  it('excludes from every region when include is absent', () => {
    const regions = resolveRegions({
      Partitions: { aws: { Regions: { exclude: ['us-east-1'] } } },
    });
    expect(regions).toEqual(aws().filter((r) => r !== 'us-east-1'));
  });

  it('adds the global pseudo-region with IncludeNonRegional', () => {
    expect(
      resolveRegions({
        Partitions: { aws: { IncludeNonRegional: true, Regions: { include: ['us-east-1'] } } },
      }),
    ).toEqual(['us-east-1', 'aws-global']);
    expect(resolveRegions({ Partitions: { 'aws-cn': { IncludeNonRegional: true } } })).toEqual([
      ...sdkPartitions().get('aws-cn')!.regions,
      'aws-cn-global',
    ]);
    expect(
      resolveRegions({ Partitions: { aws: { Regions: { include: ['us-east-1'] } } } }),
    ).not.toContain('aws-global');
  });

  it('covers several partitions', () => {
    const regions = resolveRegions({
      Partitions: { aws: { Regions: { include: ['us-east-1'] } }, 'aws-us-gov': {} },
    });
    expect(regions).toEqual(['us-east-1', ...sdkPartitions().get('aws-us-gov')!.regions]);
  });

  it('refuses an unknown partition with a clear error', () => {
    expect(() => resolveRegions({ Partitions: { awz: {} } })).toThrow(RegionFilterError);
    expect(() => resolveRegions({ Partitions: { awz: {} } })).toThrow(
      /Filter\.Partitions\.awz: unknown partition "awz"; the AWS SDK knows aws, .*aws-cn/,
    );
  });

  it('refuses a literal unknown region name, even one that looks like a region', () => {
    let caught: unknown;
    try {
      resolveRegions({
        Partitions: { aws: { Regions: { include: ['us-eats-1', 'us-east-1'], exclude: ['xx'] } } },
      });
    } catch (e) {
      caught = e;
    }
    expect(isRegionFilterError(caught)).toBe(true);
    expect((caught as RegionFilterError).problems).toEqual([
      expect.stringMatching(
        /^Filter\.Partitions\.aws\.Regions\.include\[0\]: unknown region "us-eats-1" in partition aws/,
      ),
      expect.stringMatching(/^Filter\.Partitions\.aws\.Regions\.exclude\[0\]: unknown region "xx"/),
    ]);
  });

  it('refuses a region of another partition by name', () => {
    expect(() =>
      resolveRegions({ Partitions: { aws: { Regions: { include: ['cn-north-1'] } } } }),
    ).toThrow(/unknown region "cn-north-1" in partition aws/);
  });

  it('accepts a glob that matches nothing', () => {
    expect(
      resolveRegions({ Partitions: { 'aws-cn': { Regions: { include: ['eu-*'] } } } }),
    ).toEqual([]);
  });

  it('asks for IncludeNonRegional instead of a global pseudo-region in include', () => {
    expect(() =>
      resolveRegions({ Partitions: { aws: { Regions: { include: ['aws-global'] } } } }),
    ).toThrow(
      /aws-global is the partition's global pseudo-region: set IncludeNonRegional: true instead/,
    );
  });

  it('refuses entries of the wrong type', () => {
    expect(() =>
      resolveRegions({ Partitions: { aws: { Regions: { include: [42 as unknown as string] } } } }),
    ).toThrow(/include\[0\]: must be a region name or a glob, got 42/);
    expect(() => resolveRegions('aws' as never)).toThrow(/Filter: must be an object/);
  });

  it('takes a single string as a one-entry list', () => {
    expect(resolveRegions({ Partitions: { aws: { Regions: { include: 'us-east-1' } } } })).toEqual([
      'us-east-1',
    ]);
  });

  it('keeps only enabled regions, and adds enabled ones the SDK does not list yet', () => {
    const enabled = new Set(['us-east-1', 'us-west-2', 'us-north-9']);
    expect(resolveRegions({ Partitions: { aws: {} } }, { enabledRegions: enabled })).toEqual([
      'us-east-1',
      'us-north-9',
      'us-west-2',
    ]);
    expect(
      resolveRegions(
        { Partitions: { aws: { IncludeNonRegional: true, Regions: { include: ['us-*'] } } } },
        { enabledRegions: enabled },
      ),
    ).toEqual(['us-east-1', 'us-north-9', 'us-west-2', 'aws-global']);
  });
});

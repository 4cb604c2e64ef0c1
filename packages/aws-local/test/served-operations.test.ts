import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVED_OPERATIONS, isServedOperation } from '../src/index';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The rows of the README's "What it serves" table: service → operations. */
function readmeTable(): Record<string, string[]> {
  const section = readme.split('## What it serves')[1]?.split('\n## ')[0] ?? '';
  const rows: Record<string, string[]> = {};
  for (const m of section.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)) {
    rows[m[1]!] = [...m[2]!.matchAll(/`(\w+)`/g)].map((o) => o[1]!);
  }
  return rows;
}

describe('SERVED_OPERATIONS', () => {
  it('is what the README lists under "What it serves", service by service', () => {
    expect(readmeTable()).toEqual(
      Object.fromEntries(Object.entries(SERVED_OPERATIONS).map(([s, ops]) => [s, [...ops]])),
    );
  });

  it('lists the operations the SPEC names, frozen', () => {
    expect(SERVED_OPERATIONS).toEqual({
      sts: ['GetCallerIdentity', 'AssumeRole', 'AssumeRoleWithWebIdentity'],
      iam: ['ListAccountAliases', 'CreateAccountAlias', 'ListUsers', 'ListRoles'],
      ec2: ['DescribeRegions', 'DescribeInstances'],
      organizations: [
        'ListAccounts',
        'ListAccountsForParent',
        'ListOrganizationalUnitsForParent',
        'ListRoots',
        'DescribeOrganization',
        'ListTagsForResource',
      ],
      s3: ['ListBuckets'],
    });
    expect(Object.isFrozen(SERVED_OPERATIONS) && Object.isFrozen(SERVED_OPERATIONS.sts)).toBe(true);
  });

  it('isServedOperation matches either naming, and refuses what is not served', () => {
    expect(isServedOperation('ec2', 'describe_instances')).toBe(true);
    expect(isServedOperation('EC2', 'DescribeInstances')).toBe(true);
    expect(isServedOperation('iam', 'ListRoles')).toBe(true);
    expect(isServedOperation('iam', 'ListGroups')).toBe(false);
    expect(isServedOperation('s3', 'ListBuckets')).toBe(true);
    expect(isServedOperation('s3', 'ListObjectsV2')).toBe(false);
    expect(isServedOperation('toString', 'x')).toBe(false);
  });
});

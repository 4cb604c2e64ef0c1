import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { regionalAccountFactory } from '../src/index';

const key = { accessKeyId: 'AKIAFIXTUREMAXITEMS1', secretAccessKey: 'SECRETFIXTURE-max-items' };
let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      {
        id: '111111111111',
        users: [{ name: 'ci', accessKeys: [key] }],
        instances: { 'us-east-1': 12 },
      },
    ],
  });
});
afterAll(async () => {
  await aws.close();
});
beforeEach(() => aws.resetStats());

const regional = () =>
  regionalAccountFactory({
    Account: {
      SessionParameters: {
        aws_access_key_id: key.accessKeyId,
        aws_secret_access_key: key.secretAccessKey,
        EndpointUrl: aws.url,
      },
    },
    region_name: 'us-east-1',
  });

const instanceIds = (pages: { Reservations?: { Instances?: { InstanceId?: string }[] }[] }[]) =>
  pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? [])).length;

describe('paginate with maxItems', () => {
  it('stops mid-page once maxItems items were yielded, and asks for no further page', async () => {
    const pages: { Reservations?: unknown[] }[] = [];
    for await (const page of regional().paginate<{ Reservations?: unknown[] }>(
      'ec2',
      'DescribeInstances',
      { MaxResults: 5 },
      { maxItems: 7 },
    )) {
      pages.push(page);
    }
    expect(pages.map((p) => p.Reservations?.length)).toEqual([5, 2]);
    expect(aws.stats.byOperation['ec2:DescribeInstances']).toBe(2);
    expect(instanceIds(pages as never)).toBe(7);
  });

  it('stops at a page boundary without asking for the next page', async () => {
    const pages: { Reservations?: unknown[] }[] = [];
    for await (const page of regional().paginate<{ Reservations?: unknown[] }>(
      'ec2',
      'DescribeInstances',
      { MaxResults: 5 },
      { maxItems: 5 },
    )) {
      pages.push(page);
    }
    expect(pages.map((p) => p.Reservations?.length)).toEqual([5]);
    expect(aws.stats.byOperation['ec2:DescribeInstances']).toBe(1);
  });

  it('yields everything when maxItems is more than there is, and counts a named resultKey', async () => {
    const sizes: number[] = [];
    for await (const page of regional().paginate<{ Reservations?: unknown[] }>(
      'ec2',
      'DescribeInstances',
      { MaxResults: 5 },
      { maxItems: 100, resultKey: 'Reservations' },
    )) {
      sizes.push(page.Reservations?.length ?? 0);
    }
    expect(sizes).toEqual([5, 5, 2]);
  });

  it('refuses a maxItems that is not a whole number of at least 1', async () => {
    for (const maxItems of [0, -1, 1.5, Number.NaN]) {
      const pages = regional().paginate('ec2', 'DescribeInstances', {}, { maxItems });
      await expect(pages.next()).rejects.toThrow(RangeError);
    }
    expect(aws.stats.requests).toBe(0);
  });
});

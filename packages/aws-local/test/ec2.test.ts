import {
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  EC2Client,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, PROD, fixture } from './fixture';
import { assumed, rejection, type Keys } from './helpers';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
afterAll(() => aws.close());

const ec2 = (credentials: Keys, region = 'us-east-1') =>
  new EC2Client({ endpoint: aws.url, region, credentials, maxAttempts: 1 });

describe('DescribeRegions', () => {
  it('lists the enabled regions, opt-in ones marked opted-in', async () => {
    const out = await ec2(BOB).send(new DescribeRegionsCommand({}));
    const names = out.Regions!.map((r) => r.RegionName);
    expect(names).toHaveLength(18);
    expect(names).toContain('af-south-1');
    expect(out.Regions!.find((r) => r.RegionName === 'af-south-1')!.OptInStatus).toBe('opted-in');
    expect(out.Regions!.find((r) => r.RegionName === 'us-east-1')).toEqual({
      RegionName: 'us-east-1',
      Endpoint: 'ec2.us-east-1.amazonaws.com',
      OptInStatus: 'opt-in-not-required',
    });
  });

  it('lists every region with AllRegions, with each opt-in status', async () => {
    const out = await ec2(ALICE).send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(out.Regions).toHaveLength(32);
    expect(out.Regions!.find((r) => r.RegionName === 'ap-east-1')!.OptInStatus).toBe(
      'not-opted-in',
    );
  });

  it('filters by name and opt-in status, and rejects an unknown filter', async () => {
    const byName = await ec2(ALICE).send(
      new DescribeRegionsCommand({ RegionNames: ['eu-west-1', 'us-west-2'] }),
    );
    expect(byName.Regions!.map((r) => r.RegionName)).toEqual(['eu-west-1', 'us-west-2']);
    const notOpted = await ec2(ALICE).send(
      new DescribeRegionsCommand({
        AllRegions: true,
        Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }],
      }),
    );
    expect(notOpted.Regions).toHaveLength(15);
    const e = await rejection(
      ec2(ALICE).send(new DescribeRegionsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })),
    );
    expect(e.name).toBe('InvalidParameterValue');
  });

  it('answers AuthFailure (401) in a region the account has not enabled', async () => {
    const prod = await assumed(aws.url, BOB, `arn:aws:iam::${PROD}:role/Admin`);
    expect(
      (await ec2(prod, 'eu-west-1').send(new DescribeRegionsCommand({}))).Regions,
    ).toHaveLength(2);
    const e = await rejection(ec2(prod, 'eu-central-1').send(new DescribeRegionsCommand({})));
    expect(e.name).toBe('AuthFailure');
    expect(e.$metadata.httpStatusCode).toBe(401);
  });

  it('answers AuthFailure (401) to an unknown key and SignatureDoesNotMatch to a wrong secret', async () => {
    const e = await rejection(
      ec2({
        accessKeyId: 'AKIAFIXTURENOBODY001',
        secretAccessKey: 'SECRETFIXTURE-unknown-key',
      }).send(new DescribeRegionsCommand({})),
    );
    expect(e.name).toBe('AuthFailure');
    expect(e.$metadata.httpStatusCode).toBe(401);
    const wrong = await rejection(
      ec2({ accessKeyId: BOB.accessKeyId, secretAccessKey: 'SECRETFIXTURE-wrong' }).send(
        new DescribeRegionsCommand({}),
      ),
    );
    expect(wrong.name).toBe('SignatureDoesNotMatch');
  });
});

describe('DescribeInstances', () => {
  it('pages through generated instances to the last page', async () => {
    const pages = [];
    for await (const page of paginateDescribeInstances({ client: ec2(BOB), pageSize: 5 }, {}))
      pages.push(page);
    expect(pages.map((p) => p.Reservations!.length)).toEqual([5, 5, 2]);
    expect(pages[2]!.NextToken).toBeUndefined();
    const ids = pages.flatMap((p) =>
      p.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)),
    );
    expect(new Set(ids).size).toBe(12);
    expect(ids[0]).toMatch(/^i-[0-9a-f]{17}$/);
  });

  it('generates the same ids on every start', async () => {
    const again = await startLocalAws(fixture());
    const first = await ec2(BOB).send(new DescribeInstancesCommand({}));
    const client = new EC2Client({
      endpoint: again.url,
      region: 'us-east-1',
      credentials: BOB,
      maxAttempts: 1,
    });
    const second = await client.send(new DescribeInstancesCommand({}));
    client.destroy();
    await again.close();
    expect(second.Reservations).toEqual(first.Reservations);
  });

  it('serves explicit instances with their type, state and tags', async () => {
    const out = await ec2(BOB, 'eu-west-1').send(new DescribeInstancesCommand({}));
    const i = out.Reservations![0]!.Instances![0]!;
    expect(i).toMatchObject({
      InstanceId: 'i-0123456789abcdef0',
      InstanceType: 'm5.large',
      State: { Code: 80, Name: 'stopped' },
      Tags: [{ Key: 'Name', Value: 'web' }],
      Placement: { AvailabilityZone: 'eu-west-1a' },
    });
    expect(out.Reservations![0]!.OwnerId).toBe('222222222222');
  });

  it('filters by instance id, by parameter and by filter', async () => {
    const all = await ec2(BOB).send(new DescribeInstancesCommand({}));
    const id = all.Reservations![3]!.Instances![0]!.InstanceId!;
    const byParam = await ec2(BOB).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(byParam.Reservations!.map((r) => r.Instances![0]!.InstanceId)).toEqual([id]);
    const byFilter = await ec2(BOB).send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }),
    );
    expect(byFilter.Reservations).toHaveLength(1);
  });

  it('answers InvalidInstanceID.NotFound, InvalidParameterCombination and InvalidParameterValue', async () => {
    const missing = await rejection(
      ec2(BOB).send(new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000000'] })),
    );
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const both = await rejection(
      ec2(BOB).send(
        new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000000'], MaxResults: 5 }),
      ),
    );
    expect(both.name).toBe('InvalidParameterCombination');
    const small = await rejection(ec2(BOB).send(new DescribeInstancesCommand({ MaxResults: 2 })));
    expect(small.name).toBe('InvalidParameterValue');
    const token = await rejection(
      ec2(BOB).send(new DescribeInstancesCommand({ NextToken: 'forged' })),
    );
    expect(token.name).toBe('InvalidPaginationToken');
  });

  it('answers an empty list in a region without instances', async () => {
    expect((await ec2(ALICE).send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });
});

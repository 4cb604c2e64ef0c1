import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFixtureError, startLocalAws, type LocalAws } from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTURES3USER001', secretAccessKey: 'SECRETFIXTURE-s3-user' };
let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      {
        id: '111111111111',
        name: 'storage',
        users: [{ name: 'ci', accessKeys: [KEY] }],
        buckets: ['logs-111', { name: 'data-eu-111', region: 'eu-west-1' }],
      },
      {
        id: '222222222222',
        users: [
          {
            name: 'other',
            accessKeys: [
              { accessKeyId: 'AKIAFIXTURES3USER002', secretAccessKey: 'SECRETFIXTURE-s3-other' },
            ],
          },
        ],
      },
    ],
  });
});
afterAll(() => aws.close());

const s3 = (credentials = KEY) =>
  new S3Client({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    forcePathStyle: true,
  });

describe('S3 ListBuckets', () => {
  it('lists the account’s buckets, sorted by name, with their regions', async () => {
    const out = await s3().send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['data-eu-111', 'eu-west-1'],
      ['logs-111', 'us-east-1'],
    ]);
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(out.Owner?.DisplayName).toBe('storage');
    expect(aws.stats.byOperation['s3:ListBuckets']).toBeGreaterThanOrEqual(1);
  });

  it('lists no bucket of another account', async () => {
    const out = await s3({
      accessKeyId: 'AKIAFIXTURES3USER002',
      secretAccessKey: 'SECRETFIXTURE-s3-other',
    }).send(new ListBucketsCommand({}));
    expect(out.Buckets ?? []).toEqual([]);
  });

  it('answers an unknown key and a wrong secret as S3 does', async () => {
    const unknown = await s3({
      accessKeyId: 'AKIAFIXTURES3NOBODY1',
      secretAccessKey: 'SECRETFIXTURE-x',
    })
      .send(new ListBucketsCommand({}))
      .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    expect(unknown).toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
    const wrong = await s3({ accessKeyId: KEY.accessKeyId, secretAccessKey: 'SECRETFIXTURE-wrong' })
      .send(new ListBucketsCommand({}))
      .catch((e: unknown) => e as { name: string });
    expect(wrong).toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it('is listed among the served operations', async () => {
    const { SERVED_OPERATIONS } = await import('../src/index');
    expect(SERVED_OPERATIONS.s3).toEqual(['ListBuckets']);
  });
});

describe('buckets in a fixture', () => {
  it('refuses a bad name, an unknown region and a name used twice, each by path', async () => {
    const error = await startLocalAws({
      accounts: [
        {
          id: '111111111111',
          buckets: ['UPPER', { name: 'ok-bucket', region: 'mars-1' }, 'same-name'],
        },
        { id: '222222222222', buckets: ['same-name'] },
      ],
    }).catch((e: unknown) => e);
    expect(isFixtureError(error)).toBe(true);
    const message = String((error as Error).message);
    expect(message).toContain('accounts[0].buckets[0].name');
    expect(message).toContain('accounts[0].buckets[1].region');
    expect(message).toContain('accounts[1].buckets[0].name: bucket same-name exists already');
  });
});

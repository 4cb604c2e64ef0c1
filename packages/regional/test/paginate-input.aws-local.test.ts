import type { Account } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { RateLimitProperties } from '@cs/ratelimit';
import { Session } from '@cs/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegionalAccount } from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTUREPAGINATE1', secretAccessKey: 'SECRETFIXTURE-paginate-1' };
const ACCOUNT = '111111111111';
let aws: LocalAws;
let session: Session;

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      {
        id: ACCOUNT,
        users: [{ name: 'ci', accessKeys: [KEY] }],
        regions: ['us-east-1', 'eu-west-1'],
        instances: { 'us-east-1': 12, 'eu-west-1': 12 },
      },
    ],
  });
  session = new Session({ ...KEY, region: 'eu-west-1', EndpointUrl: aws.url });
});

afterAll(async () => {
  session.destroy();
  await aws.close();
});

const account = {
  session: () => session,
  accountId: async () => ACCOUNT,
  alias: async () => 'acme',
  aliases: async () => ['acme'],
} as unknown as Account;

describe('RegionalAccount.paginate', () => {
  it('never changes the input it is given, so that targets paging at once can share it', async () => {
    // One input for every target, as a fan-out passes it: the SDK's paginator writes the next
    // token into the input it is given, so a shared input would start one target at another's page.
    const input = { MaxResults: 5 };
    const ids = async (region: string): Promise<string[]> => {
      const ra = new RegionalAccount(new RateLimitProperties(), account, region);
      const found: string[] = [];
      for await (const page of ra.paginate<{
        Reservations: { Instances: { InstanceId: string }[] }[];
      }>('ec2', 'DescribeInstances', input)) {
        for (const r of page.Reservations) for (const i of r.Instances) found.push(i.InstanceId);
      }
      return found;
    };
    const [east, west] = await Promise.all([ids('us-east-1'), ids('eu-west-1')]);
    expect(new Set(east).size).toBe(12);
    expect(new Set(west).size).toBe(12);
    expect(input).toEqual({ MaxResults: 5 });
  });
});

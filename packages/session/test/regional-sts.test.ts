import { describe, expect, it } from 'vitest';
import { Session } from '../src/Session';
import { callerIdentityXml, fakeHandler } from './helpers';

const hostFor = async (region: string | undefined): Promise<{ host: string; scope: string }> => {
  const { handler, seen } = fakeHandler([{ status: 200, body: callerIdentityXml() }]);
  const session = new Session(
    {
      aws_access_key_id: 'AKIDEXAMPLE',
      aws_secret_access_key: 'SECRETFIXTURE-example',
      ...(region ? { region_name: region } : {}),
    },
    { stsClientConfig: { requestHandler: handler } },
  );
  await session.accountId();
  const scope =
    /Credential=AKIDEXAMPLE\/\d{8}\/([^/]+)\/sts\//.exec(
      seen[0]!.headers.authorization ?? '',
    )?.[1] ?? '';
  return { host: seen[0]!.hostname, scope };
};

describe('STS in the session region, partition from the region', () => {
  it('uses the regional endpoint of the aws partition', async () => {
    expect(await hostFor('eu-west-1')).toEqual({
      host: 'sts.eu-west-1.amazonaws.com',
      scope: 'eu-west-1',
    });
    expect(await hostFor('af-south-1')).toEqual({
      host: 'sts.af-south-1.amazonaws.com',
      scope: 'af-south-1',
    });
  });

  it('uses the partition of the region (aws-cn, aws-us-gov)', async () => {
    expect(await hostFor('cn-north-1')).toEqual({
      host: 'sts.cn-north-1.amazonaws.com.cn',
      scope: 'cn-north-1',
    });
    expect(await hostFor('us-gov-west-1')).toEqual({
      host: 'sts.us-gov-west-1.amazonaws.com',
      scope: 'us-gov-west-1',
    });
  });

  it('without a region, calls the us-east-1 regional endpoint, never the global one', async () => {
    expect(await hostFor(undefined)).toEqual({
      host: 'sts.us-east-1.amazonaws.com',
      scope: 'us-east-1',
    });
  });
});

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Credentials as SDK clients take them. */
export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The rejection of `p` (fails the test when `p` resolves). */
export async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as Error & { $metadata: { httpStatusCode?: number; attempts?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Session credentials for `roleArn`, assumed with `keys`. */
export async function assumed(url: string, keys: Keys, roleArn: string): Promise<Keys> {
  const sts = new STSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: keys,
    maxAttempts: 1,
  });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test' }));
  sts.destroy();
  const c = out.Credentials!;
  return {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  };
}

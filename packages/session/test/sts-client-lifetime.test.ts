import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../src/Session';

const stsMock = mockClient(STSClient);
const roleArn = (account: string) => `arn:aws:iam::${account}:role/Audit`;

const newSession = (options: ConstructorParameters<typeof Session>[1] = {}) =>
  new Session(
    {
      aws_access_key_id: 'AKIDLIFETIME',
      aws_secret_access_key: 'SECRETFIXTURE-lifetime',
      region_name: 'eu-west-1',
    },
    options,
  );

beforeEach(() => {
  stsMock.reset();
  let issued = 0;
  stsMock.on(AssumeRoleCommand).callsFake(() => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `ASIALIFETIME${issued}`,
        SecretAccessKey: `SECRETFIXTURE-lifetime-${issued}`,
        SessionToken: `SECRETFIXTURE-lifetime-token-${issued}`,
        Expiration: new Date(Date.now() + 3_600_000),
      },
    };
  });
  stsMock.on(GetCallerIdentityCommand).resolves({
    Account: '222222222222',
    UserId: 'AROALIFETIME:audit',
    Arn: 'arn:aws:sts::222222222222:assumed-role/Audit/audit',
  });
});
afterEach(() => vi.restoreAllMocks());

describe('the STS clients of a session', () => {
  it('builds one for each STS call and keeps none between calls', async () => {
    const session = newSession();
    await session.assumeRole({ RoleArn: roleArn('222222222222'), RoleSessionName: 'audit' });
    await session.accountId();
    session.revert();
    await session.assumeRole({ RoleArn: roleArn('333333333333'), RoleSessionName: 'audit' });
    const clients = stsMock.send.getCalls().map((call) => call.thisValue as STSClient);
    expect(clients).toHaveLength(3);
    expect(new Set(clients).size).toBe(3);
    // What the session keeps of a call is its result: the credentials and the identity.
    await session.accountId();
    session.revert();
    await session.assumeRole({ RoleArn: roleArn('222222222222'), RoleSessionName: 'audit' });
    await session.accountId();
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('destroys a per-call client that owns its HTTP handler, and only such a one', async () => {
    const destroy = vi.spyOn(STSClient.prototype, 'destroy');
    const owning = newSession({ stsClientConfig: { requestHandler: { requestTimeout: 1000 } } });
    await owning.assumeRole({ RoleArn: roleArn('222222222222'), RoleSessionName: 'audit' });
    await owning.accountId();
    expect(destroy).toHaveBeenCalledTimes(2);
    destroy.mockClear();
    const handler = { handle: vi.fn(), destroy: vi.fn() };
    const given = newSession({ stsClientConfig: { requestHandler: handler } });
    await given.assumeRole({ RoleArn: roleArn('222222222222'), RoleSessionName: 'audit' });
    await given.accountId();
    const shared = newSession();
    await shared.assumeRole({ RoleArn: roleArn('222222222222'), RoleSessionName: 'audit' });
    expect(destroy).not.toHaveBeenCalled();
    expect(handler.destroy).not.toHaveBeenCalled();
  });
});

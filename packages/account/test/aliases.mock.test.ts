import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Session } from '@cs/session';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Account } from '../src/index';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
});
afterEach(() => vi.restoreAllMocks());

const account = () =>
  new Account(
    new Session({
      aws_access_key_id: 'AKID',
      aws_secret_access_key: 'SECRETFIXTURE-example',
      region_name: 'eu-west-1',
    }),
  );

describe('aliases (single calls, aws-sdk-client-mock)', () => {
  it('follows the Marker of truncated pages', async () => {
    iam
      .on(ListAccountAliasesCommand, {})
      .resolves({ AccountAliases: ['first'], IsTruncated: true, Marker: 'm1' })
      .on(ListAccountAliasesCommand, { Marker: 'm1' })
      .resolves({ AccountAliases: ['second'], IsTruncated: false });
    expect(await account().aliases()).toEqual(['first', 'second']);
    expect(iam.commandCalls(ListAccountAliasesCommand).map((c) => c.args[0].input)).toEqual([
      {},
      { Marker: 'm1' },
    ]);
  });

  it('builds an IAM client for the lookup and keeps none after it, whatever its outcome', async () => {
    const destroy = vi.spyOn(IAMClient.prototype, 'destroy');
    iam
      .on(ListAccountAliasesCommand, {})
      .resolves({ AccountAliases: ['first'], IsTruncated: true, Marker: 'm1' })
      .on(ListAccountAliasesCommand, { Marker: 'm1' })
      .resolves({ AccountAliases: [], IsTruncated: false });
    const ok = account();
    await ok.aliases();
    await ok.aliases(); // cached: no second lookup
    const clients = iam.send.getCalls().map((call) => call.thisValue as IAMClient);
    expect(new Set(clients).size).toBe(1);
    expect(destroy).toHaveBeenCalledTimes(1);
    iam.reset();
    iam.on(ListAccountAliasesCommand).rejects(new Error('not allowed'));
    await expect(account().aliases()).rejects.toMatchObject({ name: 'AccountError' });
    expect(destroy).toHaveBeenCalledTimes(2);
  });

  it('gives the account id as alias when there is none', async () => {
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
    expect(await account().alias()).toBe('123456789012');
  });

  it('wraps an IAM refusal in AccountError naming the account and the code', async () => {
    iam
      .on(ListAccountAliasesCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }));
    await expect(account().alias()).rejects.toMatchObject({
      name: 'AccountError',
      accountId: '123456789012',
      code: 'AccessDenied',
      message:
        'listing the aliases of account 123456789012 failed: AccessDenied: not allowed. The identity needs iam:ListAccountAliases in that account.',
    });
  });
});

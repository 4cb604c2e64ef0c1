import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Session } from '@cs/session';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../src/index';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
});

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

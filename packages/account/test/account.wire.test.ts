import { inspect } from 'node:util';
import type { LocalAws } from '@cs/aws-local';
import { startLocalAws } from '@cs/aws-local';
import { Session, clearSessionFactory } from '@cs/session';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Account, accountFactory, clearAccountFactory, isAccountError } from '../src/index';

const KEY = {
  accessKeyId: 'AKIAFIXTUREACCT0001',
  secretAccessKey: 'SECRETFIXTURE-account-DO-NOT-PRINT',
};
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

let aws: LocalAws;
const seen: string[] = [];
const logger = { warn: (m: string) => seen.push(m), debug: (m: string) => seen.push(m) };

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      { id: '111111111111', aliases: ['acme-mgmt'], users: [{ name: 'ci', accessKeys: [KEY] }] },
      { id: '222222222222', roles: [{ name: 'Audit', trust: ['111111111111'] }] },
    ],
  });
});
afterEach(() => {
  aws.inject.clear();
  aws.resetStats();
  clearAccountFactory();
  clearSessionFactory();
});
afterAll(async () => {
  await aws.close();
  expect(seen.join('\n')).not.toContain(KEY.secretAccessKey);
});

const params = () => ({
  aws_access_key_id: KEY.accessKeyId,
  aws_secret_access_key: KEY.secretAccessKey,
  region_name: 'eu-west-1',
  EndpointUrl: aws.url,
});
const newAccount = () => new Account(new Session(params(), { logger }));

describe('Account against aws-local', () => {
  it('gives the account id, its aliases and its alias', async () => {
    const account = newAccount();
    expect(await account.accountId()).toBe('111111111111');
    expect(await account.aliases()).toEqual(['acme-mgmt']);
    expect(await account.alias()).toBe('acme-mgmt');
    expect(account.session()).toBeInstanceOf(Session);
  });

  it('falls back to the account id when there is no alias, following the session', async () => {
    const account = newAccount();
    expect(await account.alias()).toBe('acme-mgmt');
    await account
      .session()
      .assumeRole({ RoleArn: role('222222222222', 'Audit'), RoleSessionName: 'audit' });
    expect(await account.aliases()).toEqual([]);
    expect(await account.alias()).toBe('222222222222');
    account.session().revert();
    expect(await account.alias()).toBe('acme-mgmt');
  });

  it('caches the aliases: concurrent first calls make one IAM call', async () => {
    const account = newAccount();
    const all = await Promise.all(Array.from({ length: 200 }, () => account.alias()));
    expect(new Set(all)).toEqual(new Set(['acme-mgmt']));
    await account.aliases();
    expect(aws.stats.byOperation['iam:ListAccountAliases']).toBe(1);
  });

  it('reports an IAM failure clearly, without secrets, and does not cache it', async () => {
    const account = newAccount();
    const remove = aws.inject.fault({
      service: 'iam',
      operation: 'ListAccountAliases',
      fault: 500,
    });
    const error = await account.aliases().catch((e: unknown) => e);
    remove();
    expect(isAccountError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^listing the aliases of account 111111111111 failed: InternalFailure/,
    );
    expect(inspect(error, { depth: 8 })).not.toContain(KEY.secretAccessKey);
    seen.push(inspect(error, { depth: 8 }));
    expect(await account.aliases()).toEqual(['acme-mgmt']);
  });

  it('accountFactory: one account per configuration whatever its key order, over sessionFactory', async () => {
    const a = accountFactory(
      {
        SessionParameters: params(),
        AssumeRole: { RoleArn: role('222222222222', 'Audit'), RoleSessionName: 'audit' },
      },
      { logger },
    );
    const reordered = Object.fromEntries(Object.entries(params()).reverse());
    const b = accountFactory({
      AssumeRole: { RoleSessionName: 'audit', RoleArn: role('222222222222', 'Audit') },
      SessionParameters: reordered,
    });
    expect(b).toBe(a);
    expect(accountFactory({ SessionParameters: params() })).not.toBe(a);
    expect(aws.stats.byOperation['sts:AssumeRole']).toBeUndefined();
    expect(await a.accountId()).toBe('222222222222');
    expect(String(a)).toBe(
      'Account(Session(region=eu-west-1, roles=[arn:aws:iam::222222222222:role/Audit]))',
    );
    expect(JSON.stringify(a)).not.toContain(KEY.secretAccessKey);
    expect(inspect(a)).not.toContain(KEY.secretAccessKey);
  });
});

import {
  CreateAccountAliasCommand,
  IAMClient,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, CAROL, fixture } from './fixture';
import { rejection, type Keys } from './helpers';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
afterAll(() => aws.close());

const iam = (credentials: Keys) =>
  new IAMClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('IAM account aliases', () => {
  it('lists the fixture alias', async () => {
    const out = await iam(ALICE).send(new ListAccountAliasesCommand({}));
    expect(out.AccountAliases).toEqual(['acme-mgmt']);
    expect(out.IsTruncated).toBe(false);
  });

  it('lists no alias for an account without one', async () => {
    expect((await iam(BOB).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
  });

  it('creates an alias that replaces the previous one', async () => {
    await iam(BOB).send(new CreateAccountAliasCommand({ AccountAlias: 'acme-dev' }));
    expect((await iam(BOB).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([
      'acme-dev',
    ]);
    await iam(BOB).send(new CreateAccountAliasCommand({ AccountAlias: 'acme-dev2' }));
    expect((await iam(BOB).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([
      'acme-dev2',
    ]);
  });

  it("refuses another account's alias with EntityAlreadyExists (409)", async () => {
    const e = await rejection(
      iam(BOB).send(new CreateAccountAliasCommand({ AccountAlias: 'acme-mgmt' })),
    );
    expect(e.name).toBe('EntityAlreadyExistsException');
    expect(e.$metadata.httpStatusCode).toBe(409);
  });

  it('refuses a malformed alias with ValidationError (400)', async () => {
    const e = await rejection(
      iam(CAROL).send(new CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })),
    );
    expect(e.name).toBe('ValidationError');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects an unknown key and a wrong secret', async () => {
    const unknown = await rejection(
      iam({
        accessKeyId: 'AKIAFIXTURENOBODY001',
        secretAccessKey: 'SECRETFIXTURE-unknown-key',
      }).send(new ListAccountAliasesCommand({})),
    );
    expect(unknown.name).toBe('InvalidClientTokenId');
    expect(unknown.$metadata.httpStatusCode).toBe(403);
    const wrong = await rejection(
      iam({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'SECRETFIXTURE-wrong' }).send(
        new ListAccountAliasesCommand({}),
      ),
    );
    expect(wrong.name).toBe('SignatureDoesNotMatch');
  });
});

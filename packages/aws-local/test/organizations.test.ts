import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, DEV, MGMT, OLD, PROD, fixture } from './fixture';
import { rejection, type Keys } from './helpers';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
afterAll(() => aws.close());

const orgs = (credentials: Keys = ALICE) =>
  new OrganizationsClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });

const rootId = async () => (await orgs().send(new ListRootsCommand({}))).Roots![0]!.Id!;

describe('Organizations', () => {
  it('lists the root', async () => {
    const out = await orgs().send(new ListRootsCommand({}));
    expect(out.Roots).toHaveLength(1);
    expect(out.Roots![0]!.Id).toMatch(/^r-[0-9a-z]{4}$/);
    expect(out.Roots![0]!.Arn).toMatch(
      /^arn:aws:organizations::111111111111:root\/o-[0-9a-z]{10}\/r-/,
    );
  });

  it('pages through every account to the last page, with status', async () => {
    const pages = [];
    for await (const page of paginateListAccounts({ client: orgs(), pageSize: 1 }, {}))
      pages.push(page);
    expect(pages).toHaveLength(4);
    const accounts = pages.flatMap((p) => p.Accounts!);
    expect(accounts.map((a) => a.Id)).toEqual([MGMT, DEV, PROD, OLD]);
    expect(accounts[3]).toMatchObject({
      Name: 'old',
      Status: 'SUSPENDED',
      Email: '444444444444@example.com',
    });
    expect(accounts[0]!.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it('walks the tree: units under the root, accounts under each parent', async () => {
    const root = await rootId();
    const units = await orgs().send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: root }),
    );
    expect(units.OrganizationalUnits!.map((u) => u.Name)).toEqual(['Workloads', 'Suspended']);
    const workloads = units.OrganizationalUnits![0]!.Id!;
    expect(workloads).toMatch(/^ou-[0-9a-z]{4}-[0-9a-z]{8}$/);
    const nested = await orgs().send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: workloads }),
    );
    expect(nested.OrganizationalUnits!.map((u) => u.Name)).toEqual(['Sandbox']);
    const pages = [];
    for await (const page of paginateListAccountsForParent(
      { client: orgs(), pageSize: 1 },
      { ParentId: workloads },
    )) {
      pages.push(page);
    }
    expect(pages.flatMap((p) => p.Accounts!.map((a) => a.Id))).toEqual([DEV, PROD]);
    const atRoot = await orgs().send(new ListAccountsForParentCommand({ ParentId: root }));
    expect(atRoot.Accounts!.map((a) => a.Id)).toEqual([MGMT]);
  });

  it('answers ParentNotFoundException and InvalidInputException', async () => {
    const e = await rejection(
      orgs().send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' })),
    );
    expect(e.name).toBe('ParentNotFoundException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    const big = await rejection(orgs().send(new ListAccountsCommand({ MaxResults: 21 })));
    expect(big.name).toBe('InvalidInputException');
    const token = await rejection(orgs().send(new ListAccountsCommand({ NextToken: 'forged' })));
    expect(token.name).toBe('InvalidInputException');
  });

  it('denies a member account with AccessDeniedException', async () => {
    const e = await rejection(orgs(BOB).send(new ListAccountsCommand({})));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('answers AWSOrganizationsNotInUseException without an organisation', async () => {
    const { organization: _, ...rest } = fixture();
    const lone = await startLocalAws({
      ...rest,
      accounts: rest.accounts.map((a) => ({ ...a, parent: undefined })),
    });
    const client = new OrganizationsClient({
      endpoint: lone.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    const e = await rejection(client.send(new ListRootsCommand({})));
    client.destroy();
    await lone.close();
    expect(e.name).toBe('AWSOrganizationsNotInUseException');
  });

  it('answers UnrecognizedClientException and InvalidSignatureException to bad credentials', async () => {
    const unknown = await rejection(
      orgs({
        accessKeyId: 'AKIAFIXTURENOBODY001',
        secretAccessKey: 'SECRETFIXTURE-unknown-key',
      }).send(new ListRootsCommand({})),
    );
    expect(unknown.name).toBe('UnrecognizedClientException');
    expect(unknown.$metadata.httpStatusCode).toBe(400);
    const wrong = await rejection(
      orgs({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'SECRETFIXTURE-wrong' }).send(
        new ListRootsCommand({}),
      ),
    );
    expect(wrong.name).toBe('InvalidSignatureException');
  });
});

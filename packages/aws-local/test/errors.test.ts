import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../src/index';
import { ALICE, MGMT, OLD, fixture } from './fixture';
import { assumed, rejection, type Keys } from './helpers';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws(fixture());
});
afterAll(() => aws.close());

/** One call per service, with the given credentials and region. */
const calls = {
  iam: (credentials: Keys, region: string) =>
    new IAMClient({ endpoint: aws.url, region, credentials, maxAttempts: 1 }).send(
      new ListAccountAliasesCommand({}),
    ),
  ec2: (credentials: Keys, region: string) =>
    new EC2Client({ endpoint: aws.url, region, credentials, maxAttempts: 1 }).send(
      new DescribeRegionsCommand({}),
    ),
  organizations: (credentials: Keys, region: string) =>
    new OrganizationsClient({ endpoint: aws.url, region, credentials, maxAttempts: 1 }).send(
      new ListRootsCommand({}),
    ),
};

describe('errors by service, as the SDK names them', () => {
  it.each([
    ['iam', 'ExpiredToken', 400],
    ['ec2', 'RequestExpired', 400],
    ['organizations', 'ExpiredTokenException', 400],
  ] as const)('%s: expired session credentials answer %s (%i)', async (service, name, status) => {
    const session = await assumed(
      aws.url,
      ALICE,
      `arn:aws:iam::${MGMT}:role/OrganizationAccountAccessRole`,
    );
    await calls[service](session, 'us-east-1').catch(() => undefined);
    // Expired by the server, not by moving its clock: a clock an hour ahead would refuse the
    // request for its date (RequestExpired, Signature expired) before looking at its token.
    aws.model.expireSessions();
    const e = await rejection(calls[service](session, 'us-east-1'));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual([name, status]);
  });

  it.each([
    ['iam', 'InvalidClientTokenId', 403],
    ['ec2', 'AuthFailure', 401],
    ['organizations', 'UnrecognizedClientException', 400],
  ] as const)('%s: a region not enabled answers %s (%i)', async (service, name, status) => {
    const e = await rejection(calls[service](ALICE, 'me-south-1'));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual([name, status]);
  });

  it.each([
    ['iam', 500, 'InternalFailure'],
    ['iam', 503, 'ServiceUnavailable'],
    ['ec2', 500, 'InternalError'],
    ['ec2', 503, 'Unavailable'],
    ['organizations', 500, 'ServiceException'],
    ['organizations', 503, 'ServiceUnavailableException'],
  ] as const)('%s: an injected %i answers %s', async (service, fault, name) => {
    const remove = aws.inject.fault({ fault, service, count: 1 });
    const e = await rejection(calls[service](ALICE, 'us-east-1'));
    remove();
    expect([e.name, e.$metadata.httpStatusCode]).toEqual([name, fault]);
  });

  it('denies AssumeRole into a suspended account', async () => {
    const sts = new STSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    aws.model.setRoleTrust(MGMT, 'OrganizationAccountAccessRole', ['*']);
    const e = await rejection(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${OLD}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'xx',
        }),
      ),
    );
    expect(e.name).toBe('AccessDenied');
  });

  it('answers IncompleteSignature to a malformed Authorization header', async () => {
    const res = await fetch(aws.url, {
      method: 'POST',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAFIXTUREALICE0001',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>IncompleteSignature</Code>');
  });

  it('answers InvalidAction to an operation it does not serve', async () => {
    const sts = new STSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    const e = await rejection(sts.send(new GetSessionTokenCommand({})));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['InvalidAction', 400]);
  });
});

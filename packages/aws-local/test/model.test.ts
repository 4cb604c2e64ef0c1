import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isLocalAwsError, startLocalAws, type LocalAws } from '../src/index';
import { ALICE, BOB, DEV, fixture } from './fixture';
import { assumed, rejection } from './helpers';

let aws: LocalAws;
beforeEach(async () => {
  aws = await startLocalAws(fixture());
});
afterEach(() => aws.close());

const roleArn = `arn:aws:iam::${DEV}:role/Admin`;

it('removing trust from a role denies the next AssumeRole', async () => {
  await assumed(aws.url, ALICE, roleArn);
  aws.model.setRoleTrust(DEV, 'Admin', []);
  const sts = new STSClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: ALICE,
    maxAttempts: 1,
  });
  const e = await rejection(
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'xx' })),
  );
  expect(e.name).toBe('AccessDenied');
});

it('disabling a region rejects requests there', async () => {
  const ec2 = new EC2Client({
    endpoint: aws.url,
    region: 'eu-west-1',
    credentials: BOB,
    maxAttempts: 1,
  });
  await ec2.send(new DescribeRegionsCommand({}));
  aws.model.setRegionEnabled(DEV, 'eu-west-1', false);
  expect((await rejection(ec2.send(new DescribeRegionsCommand({})))).name).toBe('AuthFailure');
  aws.model.setRegionEnabled(DEV, 'eu-west-1', true);
  await ec2.send(new DescribeRegionsCommand({}));
});

it('expiring sessions makes their next call ExpiredToken', async () => {
  const session = await assumed(aws.url, ALICE, roleArn);
  const sts = new STSClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: session,
    maxAttempts: 1,
  });
  await sts.send(new GetCallerIdentityCommand({}));
  aws.model.expireSessions();
  expect((await rejection(sts.send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredToken');
});

it('names an unknown account or role in a LocalAwsError', () => {
  expect(() => aws.model.setRoleTrust('999999999999', 'Admin', [])).toThrow(
    /no account 999999999999/,
  );
  expect(() => aws.model.setRoleTrust(DEV, 'Nope', [])).toThrow(/no role Nope/);
  try {
    aws.model.setRegionEnabled(DEV, 'xx-moon-1', true);
  } catch (e) {
    expect(isLocalAwsError(e)).toBe(true);
    return;
  }
  throw new Error('expected a LocalAwsError');
});

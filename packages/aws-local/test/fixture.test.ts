import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { isFixtureError, startLocalAws, type FixtureError } from '../src/index';
import { ALICE, fixture } from './fixture';

const issuesOf = async (input: unknown): Promise<string[]> => {
  try {
    const aws = await startLocalAws(input as never);
    await aws.close();
  } catch (e) {
    expect(isFixtureError(e)).toBe(true);
    return (e as FixtureError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a FixtureError');
};

describe('fixture validation', () => {
  it('names the path of a bad trust entry', async () => {
    const f = fixture();
    f.accounts[1]!.roles![0]!.trust = ['someone'];
    expect(await issuesOf(f)).toEqual([
      `accounts[1].roles[0].trust[0]: "someone" is not an account id, a principal ARN or '*'`,
    ]);
  });

  it('reports every problem at once', async () => {
    const issues = await issuesOf({
      accounts: [
        {
          id: '1',
          users: [{ name: 'u', accessKeys: [{ accessKeyId: 'short', secretAccessKey: 'x' }] }],
        },
        {
          id: '222222222222',
          regions: ['us-east-1', 'xx-moon-1'],
          optInRegions: ['us-east-1'],
          aliases: ['A'],
        },
        {
          id: '333333333333',
          instances: { 'us-east-1': -1 },
          roles: [{ name: 'r', maxSessionDuration: 100 }],
        },
        { id: '333333333333' },
      ],
      colour: 'blue',
    });
    expect(issues).toEqual([
      'colour: unknown field (known: accounts, organization, sessionLifetimeSeconds, webIdentityTokens)',
      'accounts[0].id: must be a 12-digit account id (quote it in YAML)',
      'accounts[1].aliases[0]: must be 3-63 lowercase letters, digits or single hyphens',
      'accounts[1].optInRegions: us-east-1 is not an opt-in region',
      'accounts[1].regions: unknown region xx-moon-1',
      'accounts[2].roles[0].maxSessionDuration: must be an integer from 3600 to 43200 seconds',
      'accounts[2].instances.us-east-1: must be a count from 0 to 100000 or a list of instances',
      'accounts[3].id: duplicate account id 333333333333',
    ]);
  });

  it('checks keys, users and the organisation', async () => {
    const issues = await issuesOf({
      accounts: [
        {
          id: '111111111111',
          parent: 'Nowhere',
          users: [
            {
              name: 'a',
              accessKeys: [
                { accessKeyId: 'AKIAFIXTURE0000001', secretAccessKey: 'SECRETFIXTURE-long-enough' },
              ],
              mfaSerial: 'x',
            },
            {
              name: 'b',
              accessKeys: [
                { accessKeyId: 'AKIAFIXTURE0000001', secretAccessKey: 'SECRETFIXTURE-long-enough' },
              ],
            },
          ],
        },
      ],
      organization: { managementAccountId: '999999999999', units: [{ name: 'OU', id: 'bad' }] },
      sessionLifetimeSeconds: -1,
    });
    expect(issues).toEqual([
      'sessionLifetimeSeconds: must be a positive number of seconds',
      'accounts[0].users[0].mfaCode: mfaSerial and mfaCode go together',
      'accounts[0].users[1].accessKeys[0].accessKeyId: duplicate access key id',
      'organization.managementAccountId: must be the id of one of the accounts',
      'organization.units[0].id: must look like ou-ab12-abcd1234',
      'accounts[0].parent: no organizational unit named or with id "Nowhere"',
    ]);
  });

  it('rejects a fixture that is not an object, or has no accounts', async () => {
    expect(await issuesOf(42)).toEqual(['(root): must be an object']);
    expect(await issuesOf({ accounts: [] })).toEqual([
      'accounts: must be a non-empty list of accounts',
    ]);
  });

  it('says what to fix in its message, and never prints a secret', async () => {
    const f = fixture();
    f.accounts[0]!.users![0]!.accessKeys[0]!.secretAccessKey = 'tiny';
    try {
      await startLocalAws(f);
    } catch (e) {
      expect((e as Error).message).toContain(
        'accounts[0].users[0].accessKeys[0].secretAccessKey: must be a string of 8+ characters',
      );
      expect((e as Error).message).not.toContain('tiny');
      return;
    }
    throw new Error('expected a FixtureError');
  });
});

describe('YAML leniency', () => {
  it('takes unquoted (numeric) account ids as the ids they mean', async () => {
    const aws = await startLocalAws({
      accounts: [
        { id: 11111111111 as never, users: [{ name: 'u', accessKeys: [ALICE] }] },
        { id: '022222222222', roles: [{ name: 'r', trust: [11111111111 as never] }] },
      ],
      organization: { managementAccountId: 11111111111 as never },
    });
    const sts = new STSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::022222222222:role/r',
        RoleSessionName: 'yaml',
      }),
    );
    sts.destroy();
    await aws.close();
    expect(out.AssumedRoleUser!.Arn).toBe('arn:aws:sts::022222222222:assumed-role/r/yaml');
  });
});

import { createRequire } from 'node:module';
import { clearAccountFactory } from '@cs/account';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import type { RegionalAccount, ServiceModuleLoader } from '@cs/regional';
import { clearRegionalAccountFactory, clearRegionalAccountsFactory } from '@cs/regional';
import { clearSessionFactory } from '@cs/session';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildOptions } from '../src/index';
import {
  buildRegionalAccount,
  buildRegionalAccounts,
  buildRegionalAccountSet,
  buildRegionalAccountSetFromOrganization,
} from '../src/index';

// BuildOptions.loadServiceModule reaches every RegionalAccount a builder creates: callClient then
// loads `@aws-sdk/client-<service>` through it; without it, @cs/regional's own import() is used.

const MGMT = '111111111111';
const key = { accessKeyId: 'AKIAFIXTURELOADER001', secretAccessKey: 'SECRETFIXTURE-loader' };
const memberRole = [{ name: 'OrganizationAccountAccessRole', trust: [MGMT] }];

let aws: LocalAws;
const account = () => ({
  SessionParameters: {
    aws_access_key_id: key.accessKeyId,
    aws_secret_access_key: key.secretAccessKey,
    region_name: 'us-east-1',
    EndpointUrl: aws.url,
  },
});
const include = (...regions: string[]) => ({
  Partitions: { aws: { Regions: { include: regions } } },
});

/** What one builder makes, as the RegionalAccounts to call. */
type Build = (options: BuildOptions) => Promise<RegionalAccount[]>;

const builders: [string, Build][] = [
  [
    'buildRegionalAccount',
    async (options) => [
      buildRegionalAccount({ Account: account(), region_name: 'eu-west-1' }, options),
    ],
  ],
  [
    'buildRegionalAccounts',
    async (options) =>
      [...buildRegionalAccounts({ Account: account(), Filter: include('eu-west-2') }, options)].map(
        ([, ra]) => ra,
      ),
  ],
  [
    'buildRegionalAccountSet',
    async (options) => [
      ...buildRegionalAccountSet(
        [{ RegionalAccounts: { Account: account(), Filter: include('us-west-1', 'us-west-2') } }],
        options,
      ),
    ],
  ],
  [
    'buildRegionalAccountSetFromOrganization',
    async (options) => [
      ...(await buildRegionalAccountSetFromOrganization(
        [
          {
            RegionalAccounts: {
              Organization: { Account: account(), RateLimit: { max_count: 50, interval: 1 } },
              Filter: include('us-east-2'),
            },
          },
        ],
        options,
      )),
    ],
  ],
];

/**
 * Loads an SDK package as @cs/regional's own import() would: from its location (this package
 * does not depend on `@aws-sdk/client-organizations`, and pnpm's layout hides it from here).
 */
const requireFromRegional = createRequire(createRequire(import.meta.url).resolve('@cs/regional'));

/**
 * A loader whose `@aws-sdk/client-sts` is a fake module: its client answers every command without
 * a request, recording it. Other packages are loaded for real, from @cs/regional's location.
 */
function fakeStsLoader(): {
  loadServiceModule: ServiceModuleLoader;
  loaded: string[];
  sent: { command: string; region: unknown }[];
} {
  const loaded: string[] = [];
  const sent: { command: string; region: unknown }[] = [];
  class STSClient {
    readonly #region: unknown;
    constructor(config: { region?: unknown }) {
      this.#region = config.region;
    }
    send(command: object): Promise<{ Account: string }> {
      sent.push({ command: command.constructor.name, region: this.#region });
      return Promise.resolve({ Account: '000000000000' });
    }
    destroy(): void {}
  }
  class GetCallerIdentityCommand {
    constructor(readonly input: object) {}
  }
  const loadServiceModule: ServiceModuleLoader = async (name) => {
    loaded.push(name);
    return name === '@aws-sdk/client-sts'
      ? { STSClient, GetCallerIdentityCommand }
      : (requireFromRegional(name) as Record<string, unknown>);
  };
  return { loadServiceModule, loaded, sent };
}

beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [
      { id: MGMT, name: 'management', users: [{ name: 'ci', accessKeys: [key] }] },
      { id: '222222222222', name: 'member', roles: memberRole },
    ],
    organization: { managementAccountId: MGMT },
  });
});
afterAll(async () => {
  await aws.close();
});
afterEach(() => {
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
  clearAccountFactory();
  clearSessionFactory();
});

describe('BuildOptions.loadServiceModule', () => {
  it.each(builders)(
    '%s: callClient loads the service through the loader given',
    async (name, build) => {
      const { loadServiceModule, loaded, sent } = fakeStsLoader();
      const targets = await build({ loadServiceModule });
      expect(targets.length).toBeGreaterThan(0);
      const accounts = await Promise.all(
        targets.map(
          async (ra) =>
            (await ra.callClient<{ Account: string }>('sts', 'GetCallerIdentity')).Account,
        ),
      );
      expect(accounts.every((id) => id === '000000000000')).toBe(true);
      expect(sent.map((s) => s.command)).toEqual(targets.map(() => 'GetCallerIdentityCommand'));
      expect(sent.map((s) => s.region).sort()).toEqual(targets.map((ra) => ra.region()).sort());
      expect(loaded).toContain('@aws-sdk/client-sts');
      if (name === 'buildRegionalAccountSetFromOrganization') {
        // The listing of the members went through the loader too.
        expect(loaded).toContain('@aws-sdk/client-organizations');
      }
    },
  );

  it.each(builders)('%s: without it, the default loader reaches AWS', async (_name, build) => {
    const { loaded, sent } = fakeStsLoader();
    const targets = await build({});
    const accounts = await Promise.all(
      targets.map(
        async (ra) =>
          (await ra.callClient<{ Account: string }>('sts', 'GetCallerIdentity')).Account,
      ),
    );
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((id) => id === MGMT || id === '222222222222')).toBe(true);
    expect(loaded).toEqual([]);
    expect(sent).toEqual([]);
  });
});

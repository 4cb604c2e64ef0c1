import { writeFileSync } from 'node:fs';
import { closeConfiguredStores, loadConfig } from '@cs/config';
import { clearRegionalAccountFactory, clearRegionalAccountsFactory } from '@cs/regional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS as ALL_REGIONS } from '../../../test/regions.mjs';
import { largestWindowCount } from '../../../test/windows.mjs';
import { submitRun } from '../src/index';
import { startWorld } from './fixtures/harness';
import type { World } from './fixtures/harness';
import { tasks } from './fixtures/tasks.mjs';

/** Sixteen regions every account has enabled. */
const REGIONS = ALL_REGIONS.slice(0, 16);
const MEMBERS = 3;
/** The operation limit of each account, shared by its 16 regions (and so by every worker). */
const OPERATION_LIMIT = 5;

/**
 * Each account: 16 regions, each region 1 request a second (RateLimit), and 5 DescribeInstances a
 * second for the account (RateLimitOperationSpec, one budget for its regions on the queue).
 */
const configText = (): string => {
  const entries = Array.from(
    { length: MEMBERS },
    (_, i) => `    - RegionalAccounts:
        Account:
          SessionParameters: *creds
          AssumeRole: { RoleArn: 'arn:aws:iam::${200000000000 + i}:role/QueueRole', RoleSessionName: queue }
        RateLimit: { max_count: 1, interval: 1, block: True }
        RateLimitOperationSpec:
          'ec2:DescribeInstances': { max_count: ${OPERATION_LIMIT}, interval: 1, block: True }
        Filter: { Partitions: { aws: { Regions: { include: [${REGIONS.join(', ')}] } } } }`,
  );
  return `SessionParameters: &creds
  aws_access_key_id: {{ KEY_ID }}
  aws_secret_access_key: {{ SECRET }}
  region_name: us-east-1
  EndpointUrl: {{ ENDPOINT }}
QueueApp:
  RegionalAccountSet:
${entries.join('\n')}
`;
};

interface Received {
  time: number;
  operation: string;
  account: string | undefined;
  region: string;
  status: number;
}

let world: World;

beforeAll(async () => {
  world = await startWorld(MEMBERS, ['us-east-1']);
  // This test's configuration, before any worker reads it.
  writeFileSync(world.configFile, configText());
  // Tasks wait seconds for their slots on busy workers: a lock of 30 s, so that no job is taken
  // for stalled and run twice (this test is about the limits, not about stalls).
  await Promise.all([15_000, 15_000, 15_000].map((stall) => world.startWorker(16, stall)));
});

afterAll(async () => {
  await world.close();
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
});

describe('rate limits shared by the workers of a run', () => {
  it("hold at the server: an account's operation limit, shared by its 16 regions whose own limits make requests wait, is never exceeded in any window, and every target is reported once", async () => {
    const run = await submitRun<{ calls: number }>({
      connection: world.redis.url,
      config: {
        document: await loadConfig(world.configFile, { env: world.env }),
        file: world.configFile,
      },
      task: 'regions-then-instances',
      input: { calls: 1 },
      tasks,
      // Four jobs of four regions per account, so that several workers run each account at once.
      targetsPerJob: 4,
    });
    expect(run.total).toBe(MEMBERS * REGIONS.length);
    const report = await run.report();
    await run.close();

    // every target exactly once, all succeeded
    const targets = report.results.map((r) => `${r.accountId}/${r.region}`);
    expect(targets).toHaveLength(MEMBERS * REGIONS.length);
    expect(new Set(targets).size).toBe(MEMBERS * REGIONS.length);
    expect(report.summary).toMatchObject({
      total: MEMBERS * REGIONS.length,
      succeeded: MEMBERS * REGIONS.length,
      failed: 0,
    });

    // aws-local's own log: when each request arrived, per account
    const log = (await world.aws.send('log', {
      filter: { service: 'ec2', operation: 'DescribeInstances' },
    })) as Received[];
    expect(log).toHaveLength(MEMBERS * REGIONS.length);
    expect(log.every((e) => e.status === 200)).toBe(true);
    const byAccount = new Map<string, number[]>();
    for (const e of log) byAccount.set(e.account!, [...(byAccount.get(e.account!) ?? []), e.time]);
    expect(byAccount.size).toBe(MEMBERS);
    for (const [account, times] of byAccount) {
      expect(times, account).toHaveLength(REGIONS.length);
      expect(largestWindowCount(times, 1000), account).toBeLessThanOrEqual(OPERATION_LIMIT);
    }
  });
});

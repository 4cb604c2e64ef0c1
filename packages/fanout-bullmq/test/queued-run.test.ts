import { buildRegionalAccountSet, closeConfiguredStores, getSection, loadConfig } from '@cs/config';
import {
  clearRegionalAccountFactory,
  clearRegionalAccountsFactory,
  FanOutReport,
} from '@cs/regional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachRun, isRunNotFoundError, listRuns, submitRun } from '../src/index';
import { dumpRedis, SECRET_PATTERNS, startWorld } from './fixtures/harness';
import type { World } from './fixtures/harness';

const REGIONS = ['us-east-1', 'eu-west-1'];
const MEMBERS = 6;
let world: World;
let baseline: string[];

beforeAll(async () => {
  baseline = process.getActiveResourcesInfo();
  world = await startWorld(MEMBERS, REGIONS, 40);
  await world.startWorker(4);
  await world.startWorker(4);
});

afterAll(async () => {
  await world.close();
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
});

const config = async () => ({
  document: await loadConfig(world.configFile, { env: world.env }),
  file: world.configFile,
});

describe('a run on the queue', () => {
  it('reports every target once, as RegionalAccountSet.map does, and leaves no secret in Redis', async () => {
    const calls = async () =>
      ((await world.aws.send('stats')) as { byOperation: Record<string, number> }).byOperation;
    const before = await calls();
    const run = await submitRun<{ arn: string }>({
      connection: world.redis.url,
      config: await config(),
      task: 'whoami',
    });
    expect(run.total).toBe(MEMBERS * REGIONS.length);
    const report = await run.report();
    await run.close();
    // AWS saw the task's own call per target, and each account's role assumed at most once per
    // worker (two here): the account id comes with the role, not from a call of its own.
    const after = await calls();
    const delta = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
    expect(delta('sts:GetCallerIdentity')).toBe(MEMBERS * REGIONS.length);
    expect(delta('sts:AssumeRole')).toBeGreaterThanOrEqual(MEMBERS);
    expect(delta('sts:AssumeRole')).toBeLessThanOrEqual(MEMBERS * 2);
    expect(report).toBeInstanceOf(FanOutReport);
    expect(report.summary).toMatchObject({ total: 12, completed: 12, succeeded: 12, failed: 0 });
    const targets = report.results.map((r) => `${r.accountId}/${r.region}`).sort();
    expect(new Set(targets).size).toBe(12);

    // The same targets, identities and values as the in-process fan-out.
    const document = (await config()).document;
    const set = buildRegionalAccountSet(
      getSection(document, 'QueueApp.RegionalAccountSet', 'RegionalAccountSet'),
      { loadServiceModule: (name) => import(name) },
    );
    const local = await set.map(async (ra, signal) => {
      const out = await ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal });
      return { arn: out.Arn, userId: out.UserId };
    });
    const key = (r: { accountId?: string; alias?: string; region?: string; status: string }) =>
      `${r.accountId}/${r.alias}/${r.region}/${r.status}`;
    expect(report.results.map(key).sort()).toEqual(local.results.map(key).sort());
    expect(
      report
        .values()
        .map((v) => v.arn)
        .sort(),
    ).toEqual(
      local
        .values()
        .map((v) => v.arn)
        .sort(),
    );

    // Nothing secret anywhere in Redis; the limits of the workers live there.
    const dump = await dumpRedis(world.client);
    for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
    expect(await world.client.keys('cs-aws:limit:*')).not.toHaveLength(0);
    // The outcomes left Redis once collected: no job of the run is left.
    expect(await world.client.keys(`bull:cs-aws:${run.id}-*`)).toEqual([]);
  });

  it('runs the built-in call and paginate tasks with their input', async () => {
    const call = await submitRun<{ output: { Account?: string } }>({
      connection: world.redis.url,
      config: await config(),
      task: 'call',
      input: { service: 'sts', operation: 'get_caller_identity' },
      aliases: false,
    });
    const called = await call.report();
    await call.close();
    expect(called.summary.succeeded).toBe(12);
    for (const r of called.results) expect(r.ok && r.value.output.Account).toBe(r.accountId);

    const pages = await submitRun<{ pages: number; output: { AccountAliases?: string[] } }>({
      connection: world.redis.url,
      config: await config(),
      task: 'paginate',
      input: { service: 'iam', operation: 'ListAccountAliases' },
    });
    const paged = await pages.report();
    await pages.close();
    expect(paged.summary.succeeded).toBe(12);
    for (const r of paged.results) {
      expect(r.ok && r.value).toEqual({ pages: 1, output: { AccountAliases: [r.alias] } });
    }
  });

  it('lists, shows and resumes a finished run by its id', async () => {
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(),
      task: 'whoami',
      aliases: false,
    });
    const first = await run.report();
    await run.close();
    const runs = await listRuns({ connection: world.redis.url });
    expect(runs.find((r) => r.id === run.id)).toMatchObject({
      state: 'finished',
      total: 12,
      collected: 12,
    });
    const again = await attachRun({ connection: world.redis.url, id: run.id });
    const report = await again.report();
    await again.close();
    // Collected earlier: the same targets and statuses, once each, values gone with the first producer.
    expect(report.results.map((r) => `${r.accountId}/${r.region}/${r.status}`).sort()).toEqual(
      first.results.map((r) => `${r.accountId}/${r.region}/${r.status}`).sort(),
    );
  });

  it('refuses an unknown run id with a clear error', async () => {
    const error = await attachRun({ connection: world.redis.url, id: 'nope' }).catch(
      (e: unknown) => e,
    );
    expect(isRunNotFoundError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no run "nope".*cs-aws runs list/);
  });

  it('fails the targets a worker of another configuration refuses, saying why', async () => {
    const document = await loadConfig(world.configFile, {
      env: { ...world.env, SECRET: 'SECRETFIXTURE-other' },
    });
    const { startWorker } = await import('../src/index');
    // Stop nothing: a third worker with another secret joins; the run's digest differs from its.
    const other = await startWorker({
      connection: world.redis.url,
      config: { document, file: 'other.yaml' },
      concurrency: 64,
      queue: 'cs-aws-mismatch',
    });
    const run = await submitRun({
      connection: world.redis.url,
      queue: 'cs-aws-mismatch',
      config: await config(),
      task: 'whoami',
      attempts: 1,
    });
    const report = await run.report();
    await run.close();
    await other.close();
    expect(report.summary.failed).toBe(12);
    expect(String(report.failures()[0]?.error)).toMatch(
      /differs from the producer's .*start the worker with the same configuration/,
    );
    const dump = await dumpRedis(world.client);
    for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
  });

  it('leaves no socket or timer of its own in this process', async () => {
    await closeConfiguredStores();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const before = baseline.filter((r) => r !== 'TTYWrap');
    // Only the world's own Redis client (closed in afterAll) is added.
    const count = (list: string[], kind: string) => list.filter((r) => r === kind).length;
    expect(count(now, 'Timeout')).toBeLessThanOrEqual(count(before, 'Timeout'));
    expect(count(now, 'TCPSocketWrap')).toBeLessThanOrEqual(count(before, 'TCPSocketWrap') + 1);
  });
});

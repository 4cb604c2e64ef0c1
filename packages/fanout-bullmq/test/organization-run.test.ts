import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  buildRegionalAccountSetFromOrganization,
  closeConfiguredStores,
  getSection,
  loadConfig,
} from '@cs/config';
import { clearRegionalAccountFactory, clearRegionalAccountsFactory } from '@cs/regional';
import type { FanOutResult } from '@cs/regional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, submitRun } from '../src/index';
import { dumpRedis, SECRET_PATTERNS } from './fixtures/harness';
import { queueRedisArgs, startRedisServer } from '../../../test/redis-server.mjs';
import type { RedisServer } from '../../../test/redis-server.mjs';

const here = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const load = (name: string): Promise<Record<string, unknown>> =>
  import(name) as Promise<Record<string, unknown>>;

/**
 * Every member of the organisation in two regions (the suspended one skipped there), and, in
 * discovery mode, the regions org-bravo has enabled among us-east-1 and the opt-in af-south-1
 * (its us-east-1 is the first entry's target already: one target).
 */
const CONFIG = `SessionParameters: &creds
  aws_access_key_id: {{ KEY_ID }}
  aws_secret_access_key: {{ SECRET }}
  region_name: us-east-1
  EndpointUrl: {{ ENDPOINT }}
RateLimit: &limit
  max_count: 200
  interval: 1
  block: True
OrgApp:
  RegionalAccountSet:
    - RegionalAccounts:
        Organization:
          Account: { SessionParameters: *creds }
          RoleName: OrganizationAccountAccessRole
        RateLimit: *limit
        Filter: { Partitions: { aws: { Regions: { include: [us-east-1, eu-west-1] } } } }
    - RegionalAccounts:
        Organization:
          Account: { SessionParameters: *creds }
          RoleName: OrganizationAccountAccessRole
          include: [org-bravo]
        RateLimit: *limit
        Filter:
          Discover: True
          Partitions: { aws: { Regions: { include: [us-east-1, af-south-1] } } }
`;

const EXPECTED = [
  '100000000000/org-management/eu-west-1/succeeded',
  '100000000000/org-management/us-east-1/succeeded',
  '200000000001/org-alpha/eu-west-1/succeeded',
  '200000000001/org-alpha/us-east-1/succeeded',
  '200000000002/org-bravo/af-south-1/succeeded',
  '200000000002/org-bravo/eu-west-1/succeeded',
  '200000000002/org-bravo/us-east-1/succeeded',
  '200000000003/org-charlie/eu-west-1/skipped',
  '200000000003/org-charlie/us-east-1/skipped',
];

const keyOf = (r: FanOutResult<unknown, unknown>): string =>
  `${r.accountId}/${r.alias}/${r.region}/${r.status}`;

let dir: string;
let redis: RedisServer;
let client: Redis;
let aws: ChildProcess;
let env: NodeJS.ProcessEnv;
let configFile: string;
const workers: ChildProcess[] = [];

const startWorkerProcess = (): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here('worker.mjs'), redis.url, configFile, '4', '500'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });

const config = async () => ({ document: await loadConfig(configFile, { env }), file: configFile });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-fanout-bullmq-org-'));
  redis = await startRedisServer(undefined, queueRedisArgs(dir));
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  aws = fork(here('organization.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{
    url: string;
    key: { accessKeyId: string; secretAccessKey: string };
  }>((resolve, reject) => {
    aws.once('message', (m) =>
      resolve(m as { url: string; key: { accessKeyId: string; secretAccessKey: string } }),
    );
    aws.once('exit', (code) => reject(new Error(`aws-local exited with ${code}`)));
  });
  configFile = join(dir, 'cs-aws.yaml');
  writeFileSync(configFile, CONFIG);
  env = {
    ...process.env,
    KEY_ID: ready.key.accessKeyId,
    SECRET: ready.key.secretAccessKey,
    ENDPOINT: ready.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});

afterAll(async () => {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  client.disconnect();
  if (aws.exitCode === null) {
    const exited = new Promise((resolve) => aws.once('exit', resolve));
    aws.send({ cmd: 'close' });
    await exited;
  }
  await redis.stop();
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
  rmSync(dir, { recursive: true, force: true });
});

describe('a queued run of an organisation', () => {
  it('covers the same targets as the in-process run, each once, members and regions found by the producer', async () => {
    await Promise.all([startWorkerProcess(), startWorkerProcess()]);
    const run = await submitRun({
      connection: redis.url,
      config: await config(),
      task: 'whoami',
      loadServiceModule: load,
    });
    expect(run.total).toBe(EXPECTED.length);
    const report = await run.report();
    await run.close();
    expect(report.results.map(keyOf).sort()).toEqual(EXPECTED);
    expect(report.summary).toMatchObject({ total: 9, succeeded: 7, skipped: 2, failed: 0 });
    const skipped = report.results.find((r) => r.status === 'skipped');
    expect(skipped).toMatchObject({ errorClass: 'account-not-active' });

    // The same target set as RegionalAccountSet.map of the same configuration, in process.
    const document = (await config()).document;
    const set = await buildRegionalAccountSetFromOrganization(
      getSection(document, 'OrgApp.RegionalAccountSet', 'RegionalAccountSet'),
      { loadServiceModule: load },
    );
    const local = await set.map(async (ra, signal) => {
      const out = await ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal });
      return { arn: out.Arn, userId: out.UserId };
    });
    expect(local.results.map(keyOf).sort()).toEqual(EXPECTED);
    const arns = (values: { arn: unknown }[]): string[] => values.map((v) => String(v.arn)).sort();
    expect(arns(report.values() as { arn: unknown }[])).toEqual(arns(local.values()));

    // Jobs carry the member's id and the region, never credentials; nothing secret in Redis.
    const dump = await dumpRedis(client);
    for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
  });

  it('gives each member its own limits, as in process: a limit of one call a minute holds per member, not for the organisation', async () => {
    // Three active members in one region, one GetCallerIdentity each, under a RateLimit of one
    // request a minute. Each member has its own RegionalAccounts, so its own limit, in memory; a
    // budget shared by the members would hold the second and third for one and two minutes.
    const file = join(dir, 'per-member.yaml');
    writeFileSync(
      file,
      CONFIG.replace('max_count: 200\n  interval: 1', 'max_count: 1\n  interval: 60').replace(
        '[us-east-1, eu-west-1]',
        '[us-east-1]',
      ),
    );
    const document = await loadConfig(file, { env });
    const queue = 'per-member';
    const worker = await startWorker({
      connection: redis.url,
      queue,
      config: { document, file },
      concurrency: 4,
      loadServiceModule: load,
    });
    const run = await submitRun({
      connection: redis.url,
      queue,
      config: { document, file },
      app: 'OrgApp',
      task: 'call',
      input: { service: 'sts', operation: 'GetCallerIdentity' },
      loadServiceModule: load,
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const report = await Promise.race([
        run.report(),
        new Promise<'held'>((resolve) => {
          timer = setTimeout(() => resolve('held'), 20_000);
        }),
      ]);
      expect(report, 'members waited for one another’s slots').not.toBe('held');
      if (report === 'held') return;
      const called = report.results.filter((r) => r.region === 'us-east-1' && r.ok);
      // org-management, org-alpha and org-bravo (the first entry's), each once.
      expect(called.map((r) => r.accountId).sort()).toEqual([
        '100000000000',
        '200000000001',
        '200000000002',
      ]);
    } finally {
      clearTimeout(timer);
      await run.cancel().catch(() => undefined);
      await run.close();
      await worker.close();
      clearRegionalAccountFactory();
      clearRegionalAccountsFactory();
    }
  });

  it('submits the members’ jobs again and keeps the skipped members when Redis loses its data', async () => {
    const queue = 'lost';
    const run = await submitRun({
      connection: redis.url,
      queue,
      config: await config(),
      task: 'whoami',
      loadServiceModule: load,
      reconcileInterval: 300,
    });
    // Everything gone before any worker ran: jobs, the run's record, the skipped outcomes.
    await client.flushall();
    const worker = await startWorker({
      connection: redis.url,
      queue,
      config: await config(),
      concurrency: 4,
      loadServiceModule: load,
    });
    try {
      const report = await run.report();
      expect(report.results.map(keyOf).sort()).toEqual(EXPECTED);
      const dump = await dumpRedis(client);
      for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
    } finally {
      await run.close();
      await worker.close();
      // close() closed the stores of every limit built here: build the next worker's afresh.
      clearRegionalAccountFactory();
      clearRegionalAccountsFactory();
    }
  });

  it('refuses a job whose member is not in the worker’s own view of the organisation, saying why', async () => {
    const queue = 'forged';
    const run = await submitRun({
      connection: redis.url,
      queue,
      config: await config(),
      task: 'whoami',
      loadServiceModule: load,
    });
    // A job naming an account that is no member (a stale or forged reference), before any worker:
    // the job of the entry's first member, with its two regions.
    const jobKey = `bull:${queue}:${run.id}-0`;
    const data = JSON.parse((await client.hget(jobKey, 'data')) ?? '{}') as Record<string, unknown>;
    expect(data).toMatchObject({ run: run.id, e: 0, t: [0, 1] });
    expect([...(data.r as string[])].sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(typeof data.a).toBe('string');
    await client.hset(jobKey, 'data', JSON.stringify({ ...data, a: '299999999999' }));
    const worker = await startWorker({
      connection: redis.url,
      queue,
      config: await config(),
      concurrency: 4,
      loadServiceModule: load,
    });
    try {
      const report = await run.report();
      expect(report.summary).toMatchObject({ total: 9, completed: 9, failed: 2 });
      const failed = report.results.flatMap((r) => (r.status === 'failed' ? [r] : []));
      expect(failed.map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
      for (const f of failed) {
        expect(f.error).toMatchObject({ name: 'RemoteTaskError' });
        expect(String((f.error as Error | undefined)?.message)).toMatch(
          /^OrgApp\.RegionalAccountSet\[0\]: account 299999999999, which the run names, is not a member of the organisation as this worker lists it/,
        );
      }
      // Every other target once.
      const others = report.results.filter((r) => r.status !== 'failed').map(keyOf);
      expect(new Set(others).size).toBe(7);
      const dump = await dumpRedis(client);
      for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
    } finally {
      await run.close();
      await worker.close();
    }
  });
});

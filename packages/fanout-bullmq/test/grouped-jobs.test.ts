import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeConfiguredStores, loadConfig } from '@cs/config';
import { clearRegionalAccountFactory, clearRegionalAccountsFactory } from '@cs/regional';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTask, startWorker, submitRun } from '../src/index';
import type { FanOutWorker } from '../src/index';
import { tasks } from './fixtures/tasks.mjs';
import { dumpRedis, SECRET_PATTERNS, startWorld, until } from './fixtures/harness';
import type { World } from './fixtures/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];

let world: World | undefined;
let worker: FanOutWorker | undefined;

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await world?.close();
  world = undefined;
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
});

const config = async (w: World, file: string) => ({
  document: await loadConfig(w.configFile, { env: w.env }),
  file,
});

/** The `PID REGION` lines a slow-whoami log holds. */
const starts = (log: string): { pid: string; region: string }[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [pid = '', region = ''] = line.split(' ');
      return { pid, region };
    });

describe('one job per account, its targets recorded one by one', () => {
  it('queues one job per account with its regions, and a job taken over from a SIGKILLed worker runs only its unrecorded targets', async () => {
    world = await startWorld(1, REGIONS);
    const log = join(world.dir, 'starts.log');
    writeFileSync(log, '');
    // Two slots for the account's four targets: two finish (recorded), then two start.
    const victim = await world.startWorker(2);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world, world.configFile),
      task: 'slow-whoami',
      input: { sleepMs: 700, log },
      tasks,
      reconcileInterval: 300,
    });
    expect(run.total).toBe(4);
    const data = JSON.parse(
      (await world.client.hget(`bull:cs-aws:${run.id}-0`, 'data')) ?? '{}',
    ) as { t?: number[]; r?: string[] };
    expect(data.t).toEqual([0, 1, 2, 3]);
    expect([...(data.r ?? [])].sort()).toEqual([...REGIONS].sort());
    const out = `cs-aws:run:${run.id}:out`;
    await until(async () => (await world!.client.hlen(out)) >= 2, 20_000, 'two recorded targets');
    await until(() => starts(log).length === 4, 20_000, 'the victim to start its last two');
    victim.kill('SIGKILL');
    const recorded = await world.client.hlen(out);
    expect(recorded).toBe(2);
    const taker = await world.startWorker(4);

    const report = await run.report();
    await run.close();
    expect(report.summary).toMatchObject({ total: 4, completed: 4, succeeded: 4 });
    expect(report.results.map((r) => r.region).sort()).toEqual([...REGIONS].sort());
    const byVictim = starts(log).filter((s) => s.pid === String(victim.pid));
    const byTaker = starts(log).filter((s) => s.pid === String(taker.pid));
    // The victim's first two finished and were recorded: not run again; its last two were.
    expect(byVictim).toHaveLength(4);
    expect(byTaker.map((s) => s.region).sort()).toEqual(
      byVictim
        .slice(2)
        .map((s) => s.region)
        .sort(),
    );
    const dump = await dumpRedis(world.client);
    for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
    expect(await world.client.keys(`bull:cs-aws:${run.id}-*`)).toEqual([]);
  });

  it('puts the job of a worker stopped gracefully back in the queue: its targets not started run on another worker', async () => {
    world = await startWorld(1, REGIONS);
    const log = join(world.dir, 'starts.log');
    writeFileSync(log, '');
    // One slot for the account's four targets: the first runs, three wait in the job.
    const stopping = await world.startWorker(1);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world, world.configFile),
      task: 'slow-whoami',
      input: { sleepMs: 600, log },
      tasks,
      reconcileInterval: 300,
    });
    await until(() => starts(log).length === 1, 20_000, 'the first target to start');
    const exited = new Promise((resolve) => stopping.once('exit', resolve));
    stopping.kill('SIGTERM');
    // It finishes its running target and exits, without running the three waiting ones.
    expect(await exited).toBe(0);
    expect(starts(log)).toHaveLength(1);
    const other = await world.startWorker(4);
    const report = await run.report();
    await run.close();
    expect(report.summary).toMatchObject({ total: 4, completed: 4, succeeded: 4 });
    const byStopping = starts(log).filter((s) => s.pid === String(stopping.pid));
    const byOther = starts(log).filter((s) => s.pid === String(other.pid));
    expect(byStopping).toHaveLength(1);
    expect(byOther).toHaveLength(3);
    expect(new Set([...byStopping, ...byOther].map((s) => s.region)).size).toBe(4);
    expect(await world.client.keys(`bull:cs-aws:${run.id}-*`)).toEqual([]);
  });

  it('retries only the target of a job that failed with a retryable class, not its succeeded ones', async () => {
    world = await startWorld(2, REGIONS);
    const calls = new Map<string, number>();
    const flaky = defineTask('flaky', async (ra) => {
      const key = `${await ra.account().accountId()}/${ra.region()}`;
      const n = (calls.get(key) ?? 0) + 1;
      calls.set(key, n);
      if (ra.region() === 'eu-west-1' && n === 1) {
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      }
      return { n };
    });
    worker = await startWorker({
      connection: world.redis.url,
      config: await config(world, 'w'),
      tasks: [flaky],
      concurrency: 8,
    });
    const run = await submitRun<{ n: number }>({
      connection: world.redis.url,
      config: await config(world, 'p'),
      task: 'flaky',
      tasks: [flaky],
      aliases: false,
      attempts: 3,
      backoff: 50,
    });
    try {
      const report = await run.report();
      expect(report.summary).toMatchObject({ total: 8, completed: 8, succeeded: 8 });
      const keys = report.results.map((r) => `${r.accountId}/${r.region}`);
      expect(new Set(keys).size).toBe(8);
      // Each eu-west-1 target ran twice (its retry), every other target once.
      expect([...calls.values()].reduce((a, b) => a + b, 0)).toBe(10);
      for (const [key, n] of calls) expect(n).toBe(key.endsWith('/eu-west-1') ? 2 : 1);
      for (const r of report.results) {
        expect(r.ok && r.value.n).toBe(r.region === 'eu-west-1' ? 2 : 1);
      }
    } finally {
      await run.close();
    }
  });

  it('runs at most `concurrency` targets at once across the jobs a worker holds', async () => {
    world = await startWorld(5, REGIONS);
    let now = 0;
    let most = 0;
    const counted = defineTask('counted', async () => {
      now += 1;
      most = Math.max(most, now);
      await new Promise((resolve) => setTimeout(resolve, 40));
      now -= 1;
      return null;
    });
    const concurrency = 3;
    worker = await startWorker({
      connection: world.redis.url,
      config: await config(world, 'w'),
      tasks: [counted],
      concurrency,
    });
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world, 'p'),
      task: 'counted',
      tasks: [counted],
      aliases: false,
    });
    try {
      const report = await run.report();
      expect(report.summary).toMatchObject({ total: 20, completed: 20, succeeded: 20 });
      expect(new Set(report.results.map((r) => `${r.accountId}/${r.region}`)).size).toBe(20);
      // Five jobs of four targets, three jobs held at once: never more than three targets running.
      expect(most).toBe(concurrency);
      expect(worker.running).toBe(0);
    } finally {
      await run.close();
    }
  });

  it('splits an account past `targetsPerJob` into several jobs, and refuses a bad one', async () => {
    world = await startWorld(2, REGIONS);
    const options = {
      connection: world.redis.url,
      config: await config(world, 'p'),
      task: 'whoami',
    };
    await expect(submitRun({ ...options, targetsPerJob: 0 })).rejects.toThrow(
      /targetsPerJob must be a whole number from 1 to 256, got 0/,
    );
    const run = await submitRun({ ...options, targetsPerJob: 3 });
    try {
      // Each account's four regions: a job of three, then a job of one; no worker yet.
      const jobs = await Promise.all(
        [0, 3, 4, 7].map(async (start) => {
          const data = await world!.client.hget(`bull:cs-aws:${run.id}-${start}`, 'data');
          return (JSON.parse(data ?? '{}') as { t?: number[] }).t;
        }),
      );
      expect(jobs).toEqual([[0, 1, 2], [3], [4, 5, 6], [7]]);
      expect(await world.client.keys(`bull:cs-aws:${run.id}-*`)).toHaveLength(4);
      worker = await startWorker({
        connection: world.redis.url,
        config: await config(world, 'w'),
        concurrency: 4,
      });
      const report = await run.report();
      expect(report.summary).toMatchObject({ total: 8, succeeded: 8 });
      expect(new Set(report.results.map((r) => `${r.accountId}/${r.region}`)).size).toBe(8);
    } finally {
      await run.close();
    }
  });

  it('runs a job queued by an earlier version, with one target', async () => {
    world = await startWorld(1, REGIONS);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world, 'p'),
      task: 'whoami',
      targetsPerJob: 1,
    });
    try {
      // Each job as an earlier producer wrote it: `i` the target's index, `r` its region.
      for (let i = 0; i < 4; i += 1) {
        const key = `bull:cs-aws:${run.id}-${i}`;
        const data = JSON.parse((await world.client.hget(key, 'data')) ?? '{}') as {
          t: number[];
          r: string[];
        };
        expect(data.t).toEqual([i]);
        await world.client.hset(
          key,
          'data',
          JSON.stringify({ run: run.id, i, e: 0, r: data.r[0] }),
        );
      }
      worker = await startWorker({
        connection: world.redis.url,
        config: await config(world, 'w'),
        concurrency: 4,
      });
      const report = await run.report();
      expect(report.summary).toMatchObject({ total: 4, succeeded: 4 });
      expect(report.results.map((r) => r.region).sort()).toEqual([...REGIONS].sort());
    } finally {
      await run.close();
    }
  });

  it('assumes each account’s role once per run, however many workers run its regions', async () => {
    const members = 6;
    world = await startWorld(members, REGIONS);
    const log = join(world.dir, 'starts.log');
    writeFileSync(log, '');
    const workers = await Promise.all([1, 2, 3].map(() => world!.startWorker(4)));
    await world.aws.send('reset');
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world, world.configFile),
      task: 'slow-whoami',
      input: { sleepMs: 150, log },
      tasks,
    });
    const report = await run.report();
    await run.close();
    expect(report.summary).toMatchObject({ total: 24, completed: 24, succeeded: 24 });
    expect(new Set(report.results.map((r) => `${r.accountId}/${r.region}`)).size).toBe(24);
    // More than one worker ran targets, and each account's role was assumed by one of them, once.
    const pids = new Set(starts(log).map((s) => s.pid));
    expect(pids.size).toBeGreaterThan(1);
    expect([...pids].every((pid) => workers.some((w) => String(w.pid) === pid))).toBe(true);
    const stats = (await world.aws.send('stats')) as { byOperation: Record<string, number> };
    expect(stats.byOperation['sts:AssumeRole']).toBe(members);
    expect(stats.byOperation['sts:GetCallerIdentity']).toBe(24);
  });
});

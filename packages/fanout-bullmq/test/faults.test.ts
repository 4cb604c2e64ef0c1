import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeConfiguredStores, loadConfig } from '@cs/config';
import type { FanOutReport } from '@cs/regional';
import { afterEach, describe, expect, it } from 'vitest';
import { attachRun, submitRun } from '../src/index';
import { tasks } from './fixtures/tasks.mjs';
import { dumpRedis, lines, SECRET_PATTERNS, startWorld, until } from './fixtures/harness';
import type { World } from './fixtures/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REGIONS = ['us-east-1', 'eu-west-1'];
let world: World | undefined;
const baseline = process.getActiveResourcesInfo();
const children = new Set<number>();

afterEach(async () => {
  for (const pid of world?.pids() ?? []) children.add(pid);
  await world?.close();
  world = undefined;
  await closeConfiguredStores();
});

const config = async (w: World) => ({
  document: await loadConfig(w.configFile, { env: w.env }),
  file: w.configFile,
});

/** Every target exactly once, nothing lost, no secret in Redis, no job of the run left. */
async function expectExactlyOnce(
  w: World,
  runId: string,
  report: FanOutReport<unknown, undefined>,
  total: number,
) {
  const targets = report.results.map((r) => `${r.accountId ?? '?'}/${r.region}`);
  expect(report.results).toHaveLength(total);
  expect(report.summary.completed).toBe(total);
  // accountId is unknown for a target skipped before it started: count those by region only.
  const known = targets.filter((t) => !t.startsWith('?'));
  expect(new Set(known).size).toBe(known.length);
  const dump = await dumpRedis(w.client);
  for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
  expect(await w.client.keys(`bull:cs-aws:${runId}-*`)).toEqual([]);
}

describe('faults', () => {
  it('gives the jobs of a SIGKILLed worker to another one: every target once', async () => {
    world = await startWorld(10, REGIONS);
    const log = join(world.dir, 'starts.log');
    writeFileSync(log, '');
    const victim = await world.startWorker(4);
    await world.startWorker(2);
    await world.startWorker(2);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world),
      task: 'slow-whoami',
      input: { sleepMs: 600, log },
      tasks,
      reconcileInterval: 300,
    });
    // Kill the victim while it runs a task (each sleeps 600 ms once started).
    await until(
      () => readFileSync(log, 'utf8').includes(`${victim.pid} `),
      20_000,
      'the victim to start a task',
    );
    victim.kill('SIGKILL');
    const seen: string[] = [];
    for await (const result of run.results()) {
      seen.push(`${result.accountId}/${result.region}/${result.status}`);
    }
    const report = await run.report();
    await run.close();
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(seen.every((s) => s.endsWith('/succeeded'))).toBe(true);
    await expectExactlyOnce(world, run.id, report, 20);
    // The victim's running tasks ran again elsewhere (the README says a task may run twice).
    const starts = readFileSync(log, 'utf8').trim().split('\n');
    expect(starts.length).toBeGreaterThan(20);
  });

  it('lets a worker stopped gracefully finish its running tasks: every target once', async () => {
    world = await startWorld(6, REGIONS);
    const stopping = await world.startWorker(4);
    await world.startWorker(2);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world),
      task: 'slow-whoami',
      input: { sleepMs: 400 },
      tasks,
      reconcileInterval: 300,
    });
    const exited = new Promise((resolve) => stopping.once('exit', resolve));
    let stopped = false;
    const seen: string[] = [];
    for await (const result of run.results()) {
      seen.push(`${result.accountId}/${result.region}/${result.status}`);
      if (!stopped) {
        stopped = true;
        stopping.kill('SIGTERM');
      }
    }
    const report = await run.report();
    await run.close();
    expect(await exited).toBe(0);
    expect(new Set(seen).size).toBe(12);
    expect(seen.every((s) => s.endsWith('/succeeded'))).toBe(true);
    await expectExactlyOnce(world, run.id, report, 12);
  });

  it('resumes a run whose producer was killed: every target once in the report', async () => {
    world = await startWorld(8, REGIONS);
    await world.startWorker(2);
    await world.startWorker(2);
    const producer = world.spawnProducer({ sleepMs: 300 });
    const out = lines(producer);
    await until(
      () => out.filter((l) => l.startsWith('result')).length >= 3,
      20_000,
      'three results',
    );
    producer.kill('SIGKILL');
    const id = out.find((l) => l.startsWith('run '))!.slice(4);
    const run = await attachRun({ connection: world.redis.url, id, reconcileInterval: 300 });
    const report = await run.report();
    await run.close();
    const notSucceeded = report.results
      .filter((r) => !r.ok)
      .map((r) => `${r.accountId}/${r.region} ${r.status} ${r.errorClass}: ${String(r.error)}`);
    expect(report.summary.succeeded, notSucceeded.join('\n')).toBe(16);
    await expectExactlyOnce(world, id, report, 16);
  });

  it('cancels a run: unstarted jobs removed, running tasks aborted, every target once', async () => {
    world = await startWorld(10, REGIONS);
    await world.startWorker(2);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world),
      task: 'slow-whoami',
      input: { sleepMs: 5_000 },
      tasks,
      reconcileInterval: 300,
    });
    await until(
      async () => (await world!.client.llen(`bull:cs-aws:active`)) >= 2,
      20_000,
      'two running jobs',
    );
    const started = performance.now();
    await run.cancel();
    const report = await run.report();
    await run.close();
    expect(performance.now() - started).toBeLessThan(4_000); // the running tasks did not sleep on
    expect(report.summary).toMatchObject({ total: 20, skipped: 20, stopped: 'aborted' });
    expect(report.results.every((r) => !r.ok && r.errorClass === 'aborted')).toBe(true);
    await expectExactlyOnce(world, run.id, report, 20);
    expect(await world.client.llen('bull:cs-aws:wait')).toBe(0);
  });

  it('survives a Redis restart: every target once', async () => {
    world = await startWorld(8, REGIONS);
    await world.startWorker(2);
    await world.startWorker(2);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world),
      task: 'slow-whoami',
      input: { sleepMs: 300 },
      tasks,
      reconcileInterval: 300,
    });
    const seen: string[] = [];
    let restarted = false;
    for await (const result of run.results()) {
      seen.push(`${result.accountId}/${result.region}`);
      if (!restarted && seen.length >= 3) {
        restarted = true;
        await world.redis.restart();
      }
    }
    const report = await run.report();
    await run.close();
    expect(new Set(seen).size).toBe(16);
    expect(report.summary.succeeded).toBe(16);
    await expectExactlyOnce(world, run.id, report, 16);
  });

  it('submits again the jobs Redis lost with its data: every target once', async () => {
    world = await startWorld(6, REGIONS);
    await world.startWorker(2);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world),
      task: 'slow-whoami',
      input: { sleepMs: 300 },
      tasks,
      reconcileInterval: 300,
    });
    const seen: string[] = [];
    for await (const result of run.results()) {
      seen.push(`${result.accountId}/${result.region}/${result.status}`);
      // As a restart without persistence would: every key gone, jobs, run record and all.
      if (seen.length === 3) await world.client.flushall();
    }
    await run.close();
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen.every((x) => x.endsWith('/succeeded'))).toBe(true);
    const dump = await dumpRedis(world.client);
    for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
  });

  it('lets an abandoned run expire after its time to live', async () => {
    world = await startWorld(2, REGIONS);
    const run = await submitRun({
      connection: world.redis.url,
      config: await config(world),
      task: 'whoami',
      ttl: 1,
    });
    await run.close(); // abandoned: no worker, no producer
    await until(
      async () => (await world!.client.exists(`cs-aws:run:${run.id}`)) === 0,
      5_000,
      'the run to expire',
    );
    await expect(attachRun({ connection: world.redis.url, id: run.id })).rejects.toThrow(/no run/);
    // A worker that meets its jobs later drops them (they expire from Redis after the same time).
    await world.startWorker(2);
    await until(
      async () => (await world!.client.llen('bull:cs-aws:wait')) === 0,
      10_000,
      'the jobs to be dropped',
    );
  });

  it('leaves no process, socket or timer behind', async () => {
    expect(children.size).toBeGreaterThan(0);
    for (const pid of children) {
      // Signal 0 only asks whether the process exists.
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const count = (list: string[], kind: string) => list.filter((r) => r === kind).length;
    const now = process.getActiveResourcesInfo();
    for (const kind of ['TCPSocketWrap', 'Timeout', 'ProcessWrap', 'PipeWrap']) {
      expect(count(now, kind), kind).toBeLessThanOrEqual(count(baseline, kind));
    }
  });
});

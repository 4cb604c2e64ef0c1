import { closeConfiguredStores, loadConfig } from '@cs/config';
import { clearRegionalAccountFactory, clearRegionalAccountsFactory } from '@cs/regional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTask, listRuns, startWorker, submitRun } from '../src/index';
import type { FanOutWorker } from '../src/index';
import { dumpRedis, SECRET_PATTERNS, startWorld, until } from './fixtures/harness';
import type { World } from './fixtures/harness';

const REGIONS = ['us-east-1', 'eu-west-1'];
const MEMBERS = 5;
const CONCURRENCY = 4;

/** A gate the test opens: every target the `gated` task starts waits for it. */
let open: () => void = () => undefined;
let gate = new Promise<void>((resolve) => (open = resolve));
let started = 0;
const gated = defineTask('gated', async (ra, _input: unknown, { signal }) => {
  started += 1;
  await new Promise<void>((resolve, reject) => {
    void gate.then(resolve);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
  return { region: ra.region() };
});

let world: World;
let worker: FanOutWorker;

beforeAll(async () => {
  world = await startWorld(MEMBERS, REGIONS);
  worker = await startWorker({
    connection: world.redis.url,
    config: { document: await loadConfig(world.configFile, { env: world.env }), file: 'w' },
    tasks: [gated],
    concurrency: CONCURRENCY,
    loadServiceModule: (name) => import(name),
  });
});

afterAll(async () => {
  open();
  await worker.close();
  await world.close();
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
});

describe('the running targets of a queued run', () => {
  it('counts the targets workers have started and not finished, in the summary, info and listRuns', async () => {
    gate = new Promise<void>((resolve) => (open = resolve));
    const run = await submitRun<{ region: string }>({
      connection: world.redis.url,
      config: { document: await loadConfig(world.configFile, { env: world.env }), file: 'p' },
      task: 'gated',
      tasks: [gated],
      aliases: false,
    });
    const total = MEMBERS * REGIONS.length;
    expect(run.total).toBe(total);
    expect(run.summary.running).toBe(0);
    try {
      // The worker takes CONCURRENCY targets and holds them at the gate.
      await until(() => started === CONCURRENCY, 20_000, 'the worker to start its targets');
      await until(
        async () => (await run.info()).running === CONCURRENCY,
        10_000,
        'info() to count the running targets',
      );
      expect(run.summary).toMatchObject({ running: CONCURRENCY, completed: 0 });
      const listed = (await listRuns({ connection: world.redis.url })).find((r) => r.id === run.id);
      expect(listed).toMatchObject({ running: CONCURRENCY, collected: 0, state: 'running' });

      // Open the gate: every target finishes, each once; nothing runs any more.
      open();
      const report = await run.report();
      expect(report.summary).toMatchObject({
        total,
        completed: total,
        succeeded: total,
        running: 0,
      });
      const targets = report.results.map((r) => `${r.accountId ?? ''}/${r.region ?? ''}`);
      expect(new Set(targets).size).toBe(total);
      expect(started).toBe(total);
      expect(run.summary.running).toBe(0);
      const info = await run.info();
      expect(info).toMatchObject({ running: 0, collected: total, state: 'finished' });
      const after = (await listRuns({ connection: world.redis.url })).find((r) => r.id === run.id);
      expect(after).toMatchObject({ running: 0, collected: total });

      const dump = await dumpRedis(world.client);
      for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
    } finally {
      open();
      await run.close();
    }
  });
});

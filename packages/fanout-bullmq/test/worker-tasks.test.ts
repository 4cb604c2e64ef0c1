import { closeConfiguredStores, loadConfig } from '@cs/config';
import { clearRegionalAccountFactory, clearRegionalAccountsFactory } from '@cs/regional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTasks, defineTask, startWorker, submitRun } from '../src/index';
import { dumpRedis, SECRET_PATTERNS, startWorld } from './fixtures/harness';
import type { World } from './fixtures/harness';

const REGIONS = ['us-east-1'];
const MEMBERS = 3;

/** A task with an effect the test can see: the kind a worker must run only when given it. */
const ran: string[] = [];
const effect = defineTask('effect', (ra) => {
  ran.push(ra.region());
  return { done: true };
});

let world: World;

beforeAll(async () => {
  world = await startWorld(MEMBERS, REGIONS);
});

afterAll(async () => {
  await world.close();
  await closeConfiguredStores();
  clearRegionalAccountFactory();
  clearRegionalAccountsFactory();
});

const config = async (file: string) => ({
  document: await loadConfig(world.configFile, { env: world.env }),
  file,
});

describe('the tasks a worker runs', () => {
  it('has no built-in task that runs programs: only call, paginate and whoami', () => {
    expect(builtinTasks.map((t) => t.name)).toEqual(['call', 'paginate', 'whoami']);
  });

  it('refuses a task it was not given, runs nothing, and runs it once given', async () => {
    const submit = async (queue: string) =>
      submitRun({
        connection: world.redis.url,
        queue,
        config: await config('producer.yaml'),
        task: 'effect',
        tasks: [effect],
        aliases: false,
      });

    // A worker started without the task: every target fails, saying what to do; nothing ran.
    const refused = await submit('refused');
    const without = await startWorker({
      connection: world.redis.url,
      queue: 'refused',
      config: await config('worker.yaml'),
      loadServiceModule: (name) => import(name),
    });
    try {
      const report = await refused.report();
      expect(report.summary).toMatchObject({ total: MEMBERS, failed: MEMBERS });
      for (const result of report.results) {
        expect(result.ok).toBe(false);
        expect(String((result as { error: Error }).error.message)).toMatch(
          /^worker [0-9a-f]{8}: no task named "effect" \(known: call, paginate, whoami\); define it with defineTask and give it to startWorker with `tasks`$/,
        );
      }
      expect(ran).toEqual([]);
    } finally {
      await refused.close();
      await without.close();
      clearRegionalAccountFactory();
      clearRegionalAccountsFactory();
    }

    // A worker given the task runs it on every target, once.
    const allowed = await submit('allowed');
    const withTask = await startWorker({
      connection: world.redis.url,
      queue: 'allowed',
      config: await config('worker.yaml'),
      tasks: [effect],
      loadServiceModule: (name) => import(name),
    });
    try {
      const report = await allowed.report();
      expect(report.summary).toMatchObject({ total: MEMBERS, succeeded: MEMBERS });
      expect(new Set(report.results.map((r) => r.accountId)).size).toBe(MEMBERS);
      expect(ran).toHaveLength(MEMBERS);
      const dump = await dumpRedis(world.client);
      for (const pattern of SECRET_PATTERNS) expect(dump).not.toMatch(pattern);
    } finally {
      await allowed.close();
      await withTask.close();
    }
  });
});

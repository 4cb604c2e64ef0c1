import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpRedis } from '../../../packages/fanout-bullmq/test/fixtures/harness';
import { queueRedisArgs, startRedisServer } from '../../../test/redis-server.mjs';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { CLI, runCli } from './helpers';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../examples/queue');
const CONFIG = resolve(EXAMPLES, 'cs-aws.yaml');

/** The README's two-terminal recipe: two workers, a run, the first worker killed mid-run. */
describe('the README recipe: a worker killed mid-run', () => {
  let dir: string;
  let redis: RedisServer;
  let client: Redis;
  let aws: LocalAws;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-aws-queue-recipe-'));
    redis = await startRedisServer(undefined, queueRedisArgs(dir));
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    aws = await startLocalAws(resolve(EXAMPLES, 'fixture.yaml'));
    env = {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: 'AKIAFIXTUREQUEUEDEMO',
      AWS_SECRET_ACCESS_KEY: 'SECRETFIXTURE-queue-demo',
      CS_AWS_ENDPOINT_URL: aws.url,
      CS_AWS_QUEUE: redis.url,
    };
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    client.disconnect();
    await redis.stop();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const worker = (): Promise<ChildProcess> =>
    new Promise((done, fail) => {
      const child = spawn(
        process.execPath,
        [CLI, 'worker', '--queue', redis.url, '--config', CONFIG],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      children.push(child);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('takes jobs')) done(child);
      });
      child.once('exit', (code) => fail(new Error(`worker exited with ${code}: ${stderr}`)));
    });

  it('finishes the run on the other worker: 24 targets, each once, all succeeded', async () => {
    const [first] = await Promise.all([worker(), worker()]);
    const producer = spawn(
      process.execPath,
      [CLI, 'whoami', '--queue', redis.url, '--config', CONFIG, '--output', 'ndjson'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(producer);
    const lines: string[] = [];
    let stderr = '';
    producer.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const firstLine = new Promise<void>((done) => {
      createInterface({ input: producer.stdout }).on('line', (line) => {
        lines.push(line);
        done();
      });
    });
    const exited = new Promise<number | null>((done) => producer.once('exit', done));
    // The run is under way (one target back, the shared limit of 4 a second holds the others).
    await firstLine;
    first.kill('SIGKILL');
    expect(await exited, stderr).toBe(0);

    const results = lines
      .map(
        (l) =>
          JSON.parse(l) as { type: string; accountId?: string; region?: string; status?: string },
      )
      .filter((r) => r.type === 'target');
    expect(results).toHaveLength(24);
    expect(new Set(results.map((r) => `${r.accountId}/${r.region}`)).size).toBe(24);
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    const summary = JSON.parse(lines.at(-1)!) as { type: string; total: number; succeeded: number };
    expect(summary).toMatchObject({ type: 'summary', total: 24, succeeded: 24 });

    const list = await runCli(['runs', 'list', '--queue', redis.url], { env });
    expect(list.stdout).toMatch(/finished\s+whoami\s+24\/24\s+0\s/);
    const dump = await dumpRedis(client);
    expect(dump.includes('SECRETFIXTURE'), 'a fixture secret in Redis').toBe(false);
  }, 90_000);
});

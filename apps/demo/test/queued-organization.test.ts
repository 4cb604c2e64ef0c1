import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ACCESS_KEY, SAMPLE_CONFIG, sampleOrganization } from '../src/index';
import { dumpRedis } from '../../../packages/fanout-bullmq/test/fixtures/harness';
import { queueRedisArgs, startRedisServer } from '../../../test/redis-server.mjs';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { assertNoFixtureSecret, CLI, runCli } from './helpers';

interface JsonResult {
  accountId?: string;
  alias?: string;
  region?: string;
  status: string;
  error?: { class: string };
}

const keyOf = (r: JsonResult): string =>
  `${r.accountId}/${r.alias}/${r.region}/${r.status}/${r.error?.class ?? ''}`;

describe('cs-aws whoami --queue on the sample organisation', () => {
  let dir: string;
  let redis: RedisServer;
  let client: Redis;
  let aws: LocalAws;
  let config: string;
  let env: Record<string, string>;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-aws-queued-org-'));
    redis = await startRedisServer(undefined, queueRedisArgs(dir));
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    aws = await startLocalAws(sampleOrganization());
    config = join(dir, 'cs-aws.yaml');
    writeFileSync(config, SAMPLE_CONFIG);
    env = {
      AWS_ACCESS_KEY_ID: SAMPLE_ACCESS_KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SAMPLE_ACCESS_KEY.secretAccessKey,
      CS_AWS_ENDPOINT_URL: aws.url,
    };
  });

  afterAll(async () => {
    if (worker !== undefined && worker.exitCode === null) {
      const exited = new Promise((done) => worker!.once('exit', done));
      worker.kill('SIGTERM');
      await exited;
    }
    client.disconnect();
    await redis.stop();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chooses the app as in-process: several apps need --app, a usage error', async () => {
    const run = await runCli(['whoami', '--queue', redis.url, '--config', config], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /several keys holding a RegionalAccountSet \(CsAwsDemo, CsAwsDemoWeb\): choose one with --app/,
    );
  });

  it('reports the same targets as the in-process whoami, each once, the suspended member skipped', async () => {
    worker = await new Promise<ChildProcess>((done, fail) => {
      const child = spawn(
        process.execPath,
        [CLI, 'worker', '--queue', redis.url, '--config', config, '-n', '8'],
        { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('takes jobs')) done(child);
      });
      child.once('exit', (code) => fail(new Error(`worker exited with ${code}: ${stderr}`)));
    });
    const queued = await runCli(
      [
        'whoami',
        '--queue',
        redis.url,
        '--config',
        config,
        '--app',
        'CsAwsDemo',
        '--output',
        'json',
      ],
      { env },
    );
    assertNoFixtureSecret(queued, 'cs-aws whoami --queue');
    const local = await runCli(
      ['whoami', '--config', config, '--app', 'CsAwsDemo', '--output', 'json'],
      { env },
    );
    expect(queued.code, queued.stderr).toBe(local.code);
    const q = (JSON.parse(queued.stdout) as { results: JsonResult[] }).results;
    const l = (JSON.parse(local.stdout) as { results: JsonResult[] }).results;
    expect(q.map(keyOf).sort()).toEqual(l.map(keyOf).sort());
    // Five accounts (one suspended) in four regions: each target once.
    expect(q).toHaveLength(20);
    expect(new Set(q.map((r) => `${r.accountId}/${r.region}`)).size).toBe(20);
    expect(q.filter((r) => r.status === 'skipped').map((r) => r.alias)).toEqual(
      Array(4).fill('acme-legacy'),
    );
    const dump = await dumpRedis(client);
    expect(dump.length).toBeGreaterThan(0);
    expect(dump.includes('SECRETFIXTURE'), 'a fixture secret in Redis').toBe(false);
    expect(dump.includes(SAMPLE_ACCESS_KEY.accessKeyId), 'the fixture key id in Redis').toBe(false);
  });
});

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUsageError } from '../src/errors';
import { parseCommandLine } from '../src/parseCommandLine';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { startRedisServer } from '../../../test/redis-server.mjs';
import { CLI, runCli } from './helpers';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../examples/queue');

describe('the queue command line', () => {
  it('reads worker, runs and --queue', () => {
    expect(
      parseCommandLine(['worker', '--queue', 'redis://127.0.0.1:6379', '-n', '8']),
    ).toMatchObject({
      command: 'worker',
      queue: 'redis://127.0.0.1:6379',
      concurrency: 8,
    });
    expect(parseCommandLine(['runs', 'list', '--queue', 'redis://h:1'])).toMatchObject({
      command: 'runs',
      runs: { action: 'list', id: undefined },
    });
    expect(parseCommandLine(['runs', 'resume', 'abc', '--queue', 'redis://h:1']).runs).toEqual({
      action: 'resume',
      id: 'abc',
    });
    expect(
      parseCommandLine(['call', 'sts', 'GetCallerIdentity', '--queue', 'rediss://h:1']).queue,
    ).toBe('rediss://h:1');
  });

  it.each([
    [['worker'], /worker needs the queue's Redis: --queue redis:\/\/HOST:6379/],
    [['runs', 'list'], /runs needs the queue's Redis/],
    [['runs', '--queue', 'redis://h:1'], /runs needs an action: cs-aws runs list \| show ID/],
    [['runs', 'show', '--queue', 'redis://h:1'], /runs show needs the run's id/],
    [['runs', 'list', 'x', '--queue', 'redis://h:1'], /runs list takes no run id/],
    [['whoami', '--queue', 'http://h:1'], /--queue must be a redis:\/\/ or rediss:\/\/ URL/],
    [
      ['targets', '--queue', 'redis://h:1'],
      /--queue applies to call, whoami, exec, worker and runs only/,
    ],
  ])('refuses %j with a usage error', (argv, message) => {
    let error: unknown;
    try {
      parseCommandLine(argv);
    } catch (e) {
      error = e;
    }
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('cs-aws with a queue whose Redis does not answer', () => {
  it('whoami and worker say which host and port did not answer, without the password, status 1', async () => {
    const config = resolve(EXAMPLES, 'cs-aws.yaml');
    // Port 9 (discard): nothing listens there on the test machines.
    const url = 'redis://:SECRETFIXTURE-queue-url@127.0.0.1:9';
    for (const args of [
      ['whoami', '--queue', url, '--config', config],
      ['worker', '--queue', url, '--config', config],
    ]) {
      const run = await runCli(args, {
        env: {
          AWS_ACCESS_KEY_ID: 'AKIAFIXTUREQUEUEDEMO',
          AWS_SECRET_ACCESS_KEY: 'SECRETFIXTURE-queue-demo',
          CS_AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        },
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        /^cs-aws: cannot reach the queue's Redis at redis:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
      );
      expect(run.stderr).not.toContain('SECRETFIXTURE');
      expect(run.stderr).not.toContain('    at ');
    }
  });
});

describe('cs-aws on a queue (the README recipe)', () => {
  let redis: RedisServer;
  let aws: LocalAws;
  let url: string;
  let env: Record<string, string>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    url = redis.url;
    aws = await startLocalAws(resolve(EXAMPLES, 'fixture.yaml'));
    env = {
      AWS_ACCESS_KEY_ID: 'AKIAFIXTUREQUEUEDEMO',
      AWS_SECRET_ACCESS_KEY: 'SECRETFIXTURE-queue-demo',
      CS_AWS_ENDPOINT_URL: aws.url,
      CS_AWS_QUEUE: url,
    };
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await redis.stop();
    await aws.close();
  });

  const startWorker = (): Promise<ChildProcess> =>
    new Promise((done, fail) => {
      const child = spawn(
        process.execPath,
        [CLI, 'worker', '--queue', url, '--config', resolve(EXAMPLES, 'cs-aws.yaml'), '-n', '4'],
        { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      workers.push(child);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('takes jobs')) done(child);
      });
      child.once('exit', (code) => fail(new Error(`worker exited with ${code}: ${stderr}`)));
    });

  it('runs whoami on two workers, lists and shows the run, and stops the workers gracefully', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const run = await runCli(
      ['whoami', '--queue', url, '--config', resolve(EXAMPLES, 'cs-aws.yaml'), '--output', 'json'],
      { env },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { summary: { total: number; succeeded: number } };
    expect(report.summary).toMatchObject({ total: 24, succeeded: 24 });
    const id = /run ([0-9a-f]{12})/.exec(run.stderr)?.[1];
    expect(id).toBeDefined();

    const list = await runCli(['runs', 'list', '--queue', url], { env });
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+finished\\s+whoami\\s+24/24`));
    const show = await runCli(['runs', 'show', id!, '--queue', url, '--output', 'json'], { env });
    expect(JSON.parse(show.stdout)).toMatchObject({
      id,
      state: 'finished',
      total: 24,
      collected: 24,
    });
    // The same HTML report as a run's own --report, from what the run collected.
    const reportFile = join(mkdtempSync(join(tmpdir(), 'cs-aws-queue-report-')), 'run.html');
    const shown = await runCli(['runs', 'show', id!, '--queue', url, '--report', reportFile], {
      env,
    });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toContain(`wrote the report of run ${id} to ${reportFile}`);
    const html = readFileSync(reportFile, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/data-status="succeeded"/g)).toHaveLength(24);
    expect(html).not.toContain('SECRETFIXTURE');
    const missing = await runCli(['runs', 'resume', 'nope', '--queue', url], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no run "nope"/);

    const exits = [a, b].map((w) => new Promise((done) => w.once('exit', done)));
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  });
});

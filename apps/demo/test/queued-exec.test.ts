import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUsageError } from '../src/errors';
import { parseCommandLine } from '../src/parseCommandLine';
import { dumpRedis } from '../../../packages/fanout-bullmq/test/fixtures/harness';
import { queueRedisArgs, startRedisServer } from '../../../test/redis-server.mjs';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { assertNoFixtureSecret, CLI, runCli } from './helpers';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../examples/queue');
const KEY_ID = 'AKIAFIXTUREQUEUEDEMO';
const SECRET = 'SECRETFIXTURE-queue-demo';
/** Three accounts of the recipe's fixture, two regions each: six targets. */
const ACCOUNTS = ['200000000001', '200000000002', '200000000003'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const TARGETS = ACCOUNTS.flatMap((a) => REGIONS.map((r) => `${a}/${r}`)).sort();

const CONFIG = `SessionParameters: &creds
  aws_access_key_id: '{{ AWS_ACCESS_KEY_ID }}'
  aws_secret_access_key: '{{ AWS_SECRET_ACCESS_KEY }}'
  region_name: us-east-1
  EndpointUrl: '{{ CS_AWS_ENDPOINT_URL }}'
Exec:
  RegionalAccountSet:
${ACCOUNTS.map(
  (id) => `    - RegionalAccounts:
        Account:
          SessionParameters: *creds
          AssumeRole: { RoleArn: 'arn:aws:iam::${id}:role/Ops', RoleSessionName: exec }
        RateLimit: { max_count: 100, interval: 1 }
        Filter: { Partitions: { aws: { Regions: { include: [${REGIONS.join(', ')}] } } } }`,
).join('\n')}
`;

interface JsonResult {
  accountId: string;
  region: string;
  status: string;
  value?: { exitCode: number | null; stdout: string; stderr: string; truncated?: boolean };
  error?: { class: string; code?: string; message: string };
}
const parse = (stdout: string): { results: JsonResult[]; summary: Record<string, number> } =>
  JSON.parse(stdout) as { results: JsonResult[]; summary: Record<string, number> };
const keyOf = (r: { accountId: string; region: string }): string => `${r.accountId}/${r.region}`;

describe('exec --queue on the command line', () => {
  it('takes --queue for exec and --allow-exec for worker only', () => {
    expect(
      parseCommandLine(['exec', '--queue', 'redis://h:1', '--', 'sh', '-c', 'true']),
    ).toMatchObject({ command: 'exec', queue: 'redis://h:1', execArgs: ['sh', '-c', 'true'] });
    expect(parseCommandLine(['worker', '--queue', 'redis://h:1', '--allow-exec']).allowExec).toBe(
      true,
    );
    expect(parseCommandLine(['worker', '--queue', 'redis://h:1']).allowExec).toBe(false);
    let error: unknown;
    try {
      parseCommandLine(['exec', '--allow-exec', '--queue', 'redis://h:1', '--', 'true']);
    } catch (e) {
      error = e;
    }
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toMatch(/--allow-exec applies to the worker command only/);
  });

  it.each([
    [['whoami', '--queue', 'redis://h:1', '--accounts', 'alpha'], '--accounts'],
    [['exec', '--queue', 'redis://h:1', '--regions', 'eu-*', '--', 'true'], '--regions'],
    [['call', 'sts', 'GetCallerIdentity', '--queue', 'redis://h:1', '--query', 'Arn'], '--query'],
    [
      ['whoami', '--queue', 'redis://h:1', '--profile', 'p', '--max-attempts', '2'],
      '--profile, --max-attempts',
    ],
    [['exec', '--queue', 'redis://h:1', '--output-dir', 'o', '--resume', '--', 'true'], '--resume'],
  ])('refuses %j: an option a queued run would not apply', (argv, named) => {
    let error: unknown;
    try {
      parseCommandLine(argv);
    } catch (e) {
      error = e;
    }
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `${named}: not applied to a queued run (the workers run every target of the configuration's section, as its file says); run without --queue, or narrow the section in the configuration`,
    );
  });
});

describe('cs-aws exec --queue', () => {
  let redis: RedisServer;
  let client: Redis;
  let aws: LocalAws;
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-aws-queued-exec-'));
    redis = await startRedisServer(undefined, queueRedisArgs(dir));
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    aws = await startLocalAws(resolve(EXAMPLES, 'fixture.yaml'));
    config = join(dir, 'cs-aws.yaml');
    writeFileSync(config, CONFIG);
    env = {
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      CS_AWS_ENDPOINT_URL: aws.url,
    };
  });

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    client.disconnect();
    await redis.stop();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startWorker = (...extra: string[]): Promise<ChildProcess> =>
    new Promise((done, fail) => {
      const child = spawn(
        process.execPath,
        [CLI, 'worker', '--queue', redis.url, '--config', config, '-n', '4', ...extra],
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

  const stopWorker = (child: ChildProcess): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });

  const expectNoSecretInRedis = async (): Promise<void> => {
    const dump = await dumpRedis(client);
    expect(dump.length).toBeGreaterThan(0);
    expect(dump.includes('SECRETFIXTURE'), 'a fixture secret in Redis').toBe(false);
    // The session tokens and keys aws-local issues for the assumed roles carry the same marker.
    expect(dump.includes(KEY_ID), 'the fixture key id in Redis').toBe(false);
  };

  it('a worker without --allow-exec refuses every exec job and runs nothing', async () => {
    const worker = await startWorker();
    const marks = join(dir, 'refused-marks');
    const run = await runCli(
      [
        'exec',
        '--queue',
        redis.url,
        '--config',
        config,
        '--output',
        'json',
        '--',
        'sh',
        '-c',
        `mkdir -p ${marks}; touch ${marks}/$CS_AWS_ACCOUNT_ID-$AWS_REGION`,
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(1);
    assertNoFixtureSecret(run, 'cs-aws exec --queue');
    const { results, summary } = parse(run.stdout);
    expect(summary).toMatchObject({ total: 6, failed: 6 });
    expect(results).toHaveLength(6);
    for (const r of results) {
      expect(r.status).toBe('failed');
      expect(r.error?.message).toMatch(
        /^this worker does not run programs: start the workers of exec --queue runs with cs-aws worker --allow-exec/,
      );
    }
    expect(() => readdirSync(marks)).toThrow(/ENOENT/);
    await stopWorker(worker);
    await expectNoSecretInRedis();
  });

  it('workers with --allow-exec give the same report, exit status and --output-dir files as the in-process exec', async () => {
    const [a, b] = await Promise.all([startWorker('--allow-exec'), startWorker('--allow-exec')]);
    const marks = join(dir, 'runs.log');
    // Fails in one account (status 3), succeeds in the others; logs each run of a target.
    const script =
      `echo "$CS_AWS_ACCOUNT_ID $AWS_REGION" >> ${marks}; ` +
      'echo "$CS_AWS_ACCOUNT_ID $CS_AWS_ACCOUNT_ALIAS $AWS_REGION $AWS_DEFAULT_REGION"; ' +
      'test -n "$AWS_ACCESS_KEY_ID" && test -n "$AWS_SECRET_ACCESS_KEY" && test -n "$AWS_SESSION_TOKEN" && echo keys; ' +
      'echo to-stderr >&2; test "$CS_AWS_ACCOUNT_ID" != 200000000002 || exit 3';
    const queuedDir = join(dir, 'queued-out');
    const queued = await runCli(
      [
        'exec',
        '--queue',
        redis.url,
        '--config',
        config,
        '--output',
        'json',
        '--output-dir',
        queuedDir,
        '--',
        'sh',
        '-c',
        script,
      ],
      { env },
    );
    assertNoFixtureSecret(queued, 'cs-aws exec --queue');
    expect(queued.code, queued.stderr).toBe(1);
    // Each target ran once, on a worker.
    const ran = readFileSync(marks, 'utf8').trim().split('\n').sort();
    expect(ran).toEqual(TARGETS.map((t) => t.replace('/', ' ')));
    rmSync(marks);

    const localDir = join(dir, 'local-out');
    const local = await runCli(
      [
        'exec',
        '--config',
        config,
        '--output',
        'json',
        '--output-dir',
        localDir,
        '--',
        'sh',
        '-c',
        script,
      ],
      { env },
    );
    expect(local.code, local.stderr).toBe(1);

    const q = parse(queued.stdout);
    const l = parse(local.stdout);
    expect(q.results.map(keyOf).sort()).toEqual(TARGETS);
    expect(l.results.map(keyOf).sort()).toEqual(TARGETS);
    const comparable = (r: JsonResult) => ({
      target: keyOf(r),
      status: r.status,
      value: r.value,
      error: r.error === undefined ? undefined : { ...r.error },
    });
    const byTarget = (a: JsonResult, b: JsonResult): number => keyOf(a).localeCompare(keyOf(b));
    expect(q.results.sort(byTarget).map(comparable)).toEqual(
      l.results.sort(byTarget).map(comparable),
    );
    const failed = q.results.filter((r) => r.status === 'failed');
    expect(failed.map(keyOf).sort()).toEqual(['200000000002/eu-west-1', '200000000002/us-east-1']);
    expect(failed[0]).toMatchObject({
      error: { code: 'ExitStatus3', message: 'sh exited with status 3: to-stderr' },
      value: { exitCode: 3, stderr: 'to-stderr\n' },
    });
    const ok = q.results.find((r) => r.accountId === '200000000001' && r.region === 'eu-west-1');
    expect(ok?.value).toEqual({
      exitCode: 0,
      stdout: '200000000001 alpha eu-west-1 eu-west-1\nkeys\n',
      stderr: 'to-stderr\n',
    });
    expect(q.summary).toMatchObject({ total: 6, succeeded: 4, failed: 2 });

    // The same files, written by the producer.
    const files = (root: string): string[] =>
      readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.json'))
        .sort();
    expect(files(queuedDir)).toEqual(files(localDir));
    expect(files(queuedDir)).toHaveLength(7);
    for (const file of files(queuedDir)) {
      const text = readFileSync(join(queuedDir, file), 'utf8');
      expect(text).not.toContain('SECRETFIXTURE');
      if (file === 'summary.json') continue;
      const kept = JSON.parse(text) as JsonResult;
      const mine = JSON.parse(readFileSync(join(localDir, file), 'utf8')) as JsonResult;
      expect(comparable(kept)).toEqual(comparable(mine));
    }
    const summary = JSON.parse(readFileSync(join(queuedDir, 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ command: 'exec', total: 6, succeeded: 4, failed: 2 });
    await expectNoSecretInRedis();
    await Promise.all([a, b].map(stopWorker));
  });

  it('--fail-fast stops a queued run at the first program that fails, as in process', async () => {
    const worker = await startWorker('--allow-exec', '-n', '1');
    const run = await runCli(
      [
        'exec',
        '--queue',
        redis.url,
        '--config',
        config,
        '--fail-fast',
        '--output',
        'json',
        '--',
        'sh',
        '-c',
        'sleep 0.3; exit 4',
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(1);
    const { results, summary } = parse(run.stdout);
    // Each target once: the ones cancelled before they started carry their region only (their
    // account id is read by the worker that runs a target).
    expect(results).toHaveLength(6);
    expect(results.map((r) => r.region).sort()).toEqual(
      [...REGIONS, ...REGIONS, ...REGIONS].sort(),
    );
    const identified = results.filter((r) => typeof r.accountId === 'string').map(keyOf);
    expect(new Set(identified).size).toBe(identified.length);
    expect(summary).toMatchObject({ total: 6, stopped: 'fail-fast' });
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.error).toMatchObject({ code: 'ExitStatus4' });
    expect(results.filter((r) => r.status === 'skipped').length).toBeGreaterThanOrEqual(1);
    await stopWorker(worker);
  });

  it('keeps at most 64 KiB of each stream of a queued program, and says it cut it', async () => {
    const worker = await startWorker('--allow-exec');
    const run = await runCli(
      [
        'exec',
        '--queue',
        redis.url,
        '--config',
        config,
        '--output',
        'json',
        '--',
        'sh',
        '-c',
        // 100,000 bytes on stdout, 10 on stderr.
        "head -c 100000 /dev/zero | tr '\\0' x; printf 0123456789 >&2",
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    const { results } = parse(run.stdout);
    expect(results.map(keyOf).sort()).toEqual(TARGETS);
    for (const r of results) {
      expect(r.value?.stdout).toBe('x'.repeat(64 * 1024));
      expect(r.value?.stderr).toBe('0123456789');
      expect(r.value?.truncated).toBe(true);
    }
    await expectNoSecretInRedis();
    await stopWorker(worker);
  });

  it('--timeout fails a queued program that runs too long, and the worker stops it', async () => {
    const worker = await startWorker('--allow-exec');
    const started = Date.now();
    const run = await runCli(
      [
        'exec',
        '--queue',
        redis.url,
        '--config',
        config,
        '--timeout',
        '300ms',
        '--output',
        'json',
        '--',
        'sleep',
        '20',
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(1);
    const { results } = parse(run.stdout);
    expect(results.map(keyOf).sort()).toEqual(TARGETS);
    for (const r of results)
      expect(r).toMatchObject({ status: 'failed', error: { class: 'network' } });
    expect(Date.now() - started).toBeLessThan(15_000);
    // The worker stops at once: no program still holds it.
    const exited = new Promise((done) => worker.once('exit', done));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expectNoSecretInRedis();
  });
});

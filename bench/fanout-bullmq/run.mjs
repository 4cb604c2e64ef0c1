// The fan-out on BullMQ workers, side by side with the in-process fan-out, on aws-local.
//
//   node bench/fanout-bullmq/run.mjs [--accounts 500] [--regions 4] [--latencies 20,200]
//                                    [--workers 1,2,4] [--concurrency 64] [--profile DIR]
//
// Each way runs in a fresh process of its own, with its own aws-local (a child process) and, for
// the queue, its own redis-server (append-only file, fsync every second, as BullMQ recommends):
//   in-process: buildRegionalAccountSet(...).map(GetCallerIdentity), concurrency 64;
//   queue:      submitRun(task 'call' GetCallerIdentity) to 1, 2 or 4 worker processes with
//               64 / workers each; the producer collects the report.
// Before timing, each way runs the same task over 16 other accounts (sa-east-1; a queued run for
// the queue), as bench/fanout warms up: the timed run meets JIT-compiled code in every process.
// The accounts' roles are assumed as bench/fanout's are, and their ids come with the roles (no
// GetCallerIdentity of their own), so the in-process row is bench/fanout's cs-aws row.
// The ideal is targets × latency / 64. "Queue CPU" is the CPU of the producer, the workers and
// redis-server together; "queue's own" is that minus the in-process run's CPU, per target.
// Redis commands per target: INFO commandstats (without the sampler's INFO), which counts the
// commands run inside Lua scripts too; in brackets the script calls (EVALSHA/EVAL), each one round
// trip. The commands outside scripts are round trips (some pipelined).
// Then: Redis memory with 10,000 targets queued (no worker yet), and a throttling run: 4 workers,
// a per-account operation limit of 5 DescribeInstances a second shared by the account's 16
// regions (four jobs of four regions per account: so by several workers), checked on the server's
// log. A queued run has one job per account (up to 32 of its regions) otherwise.
// --profile DIR writes a CPU profile (node --cpu-prof) of each way's process, its aws-local and
// every worker to DIR, for `node bench/shared/profile-summary.mjs DIR/*.cpuprofile` (samples are
// wall-clock: on a loaded machine a process waiting for a core is counted where it stopped).
// BENCH_DEBUG=1 adds, per queue row, the CPU of the producer, the workers and Redis, the commands
// by name and the AWS operations aws-local served.
import { fork, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { queueRedisArgs, startRedisServer } from '../../test/redis-server.mjs';
import { REGIONS } from '../../test/regions.mjs';
import { largestWindowCount } from '../../test/windows.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const here = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '500' },
    regions: { type: 'string', default: '4' },
    latencies: { type: 'string', default: '20,200' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '64' },
    way: { type: 'string' },
    profile: { type: 'string' },
    latency: { type: 'string' },
    n: { type: 'string' },
  },
});

if (values.way === undefined) {
  // The parent: one process per way, then the tables.
  const self = fileURLToPath(import.meta.url);
  const common = [
    '--accounts',
    values.accounts,
    '--regions',
    values.regions,
    '--concurrency',
    values.concurrency,
  ];
  if (values.profile !== undefined) common.push('--profile', values.profile);
  const profiling =
    values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values.profile];
  const run = (...args) =>
    JSON.parse(
      execFileSync(process.execPath, [...profiling, self, ...common, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      })
        .trim()
        .split('\n')
        .at(-1),
    );
  const latencies = values.latencies.split(',').map(Number);
  const workerCounts = values.workers.split(',').map(Number);
  const targets = Number(values.accounts) * Number(values.regions);
  const concurrency = Number(values.concurrency);
  for (const latency of latencies) {
    const local = run('--way', 'inprocess', '--latency', String(latency));
    const rows = [
      local,
      ...workerCounts.map((n) =>
        run('--way', 'queue', '--latency', String(latency), '--n', String(n)),
      ),
    ];
    const ideal = (targets * latency) / concurrency;
    console.log(
      `\n### ${targets} targets (${values.accounts} accounts × ${values.regions} regions), GetCallerIdentity at ${latency} ms, total concurrency ${concurrency}\n`,
    );
    console.log(
      `| way | wall | × ideal (${ideal.toFixed(0)} ms) | × in-process | CPU / target | queue's own CPU / target | Redis commands / target (script calls) | peak Redis memory | succeeded |`,
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const cpuPerTarget = r.cpu / targets;
      const own =
        r.way === 'in-process' ? '' : `${(cpuPerTarget - local.cpu / targets).toFixed(2)} ms`;
      console.log(
        `| ${r.way} | ${r.wall.toFixed(0)} ms | ${(r.wall / ideal).toFixed(2)} | ${(r.wall / local.wall).toFixed(2)} | ${cpuPerTarget.toFixed(2)} ms | ${own} | ${r.roundTrips === undefined ? '' : `${(r.roundTrips / targets).toFixed(1)} (${(r.scripts / targets).toFixed(1)})`} | ${r.peakMemory === undefined ? '' : `${(r.peakMemory / 1024 / 1024).toFixed(1)} MB`} | ${r.ok} / ${targets} |`,
      );
    }
  }
  const memory = run('--way', 'memory');
  console.log(
    `\n### Redis memory: ${memory.targets} targets queued (run record, jobs, wait list): ${(memory.bytes / 1024 / 1024).toFixed(1)} MB, ${(memory.bytes / memory.targets).toFixed(0)} bytes a target`,
  );
  const throttle = run('--way', 'throttle');
  console.log(
    `\n### Throttling: ${throttle.targets} targets × ${throttle.calls} DescribeInstances, 4 workers × 16, limit ${throttle.limit}/s per account shared by its ${throttle.regions} regions\n`,
  );
  console.log(
    '| most requests of one account in any 1 s window, as sent (all workers) | as received (server log) | limit | wall | succeeded |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${throttle.maxSentWindow} | ${throttle.maxWindow} | ${throttle.limit} | ${(throttle.wall / 1000).toFixed(1)} s | ${throttle.ok} / ${throttle.targets} |`,
  );
  process.exit(0);
}

/** The largest window count of each account's send times, over every worker. */
function byAccount(results) {
  const times = new Map();
  for (const r of results) {
    if (!r.ok) continue;
    const list = times.get(r.accountId) ?? [];
    list.push(...r.value.sent);
    times.set(r.accountId, list);
  }
  return [...times.values()].map((list) => largestWindowCount(list, 1000));
}

// ---- one way, in this process ----
const accounts =
  values.way === 'memory' ? 2500 : values.way === 'throttle' ? 20 : Number(values.accounts);
const regions = values.way === 'throttle' ? 16 : Number(values.regions);
const concurrency = Number(values.concurrency);
const latency = Number(values.latency ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'cs-bench-bullmq-'));

// WARM more accounts for the warm-up run (their own roles: nothing cached for the timed run).
const WARM = 16;
const server = fork(here('server.mjs'), [String(accounts + WARM)], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { url, key } = await new Promise((resolve) => server.once('message', resolve));
const asker = (child) => {
  let next = 1;
  return (cmd, extra = {}) =>
    new Promise((resolve) => {
      const id = next++;
      const onMessage = (m) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        resolve(m.value);
      };
      child.on('message', onMessage);
      child.send({ id, cmd, ...extra });
    });
};
const ask = asker(server);

const opLimit = values.way === 'throttle' ? 5 : undefined;
const entries = Array.from(
  { length: accounts },
  (_, i) =>
    `    - RegionalAccounts: { Account: { SessionParameters: *creds, AssumeRole: { RoleArn: 'arn:aws:iam::${200000000000 + i}:role/BenchRole', RoleSessionName: bench } }, RateLimit: *limit, ${opLimit ? 'RateLimitOperationSpec: *ops, ' : ''}Filter: *regions }`,
);
const configFile = join(dir, 'cs-aws.yaml');
writeFileSync(
  configFile,
  `SessionParameters: &creds
  aws_access_key_id: '{{ KEY_ID }}'
  aws_secret_access_key: '{{ SECRET }}'
  region_name: us-east-1
  EndpointUrl: '{{ ENDPOINT }}'
RateLimit: &limit { max_count: 1000, interval: 1, block: True }
RateLimitOperationSpec: &ops { 'ec2:DescribeInstances': { max_count: ${opLimit ?? 1000}, interval: 1, block: True } }
Filter: &regions { Partitions: { aws: { Regions: { include: [${REGIONS.slice(0, regions).join(', ')}] } } } }
Bench:
  RegionalAccountSet:
${entries.join('\n')}
Warm:
  RegionalAccountSet:
${Array.from(
  { length: WARM },
  (_, i) =>
    `    - RegionalAccounts: { Account: { SessionParameters: *creds, AssumeRole: { RoleArn: 'arn:aws:iam::${200000000000 + accounts + i}:role/BenchRole', RoleSessionName: bench } }, RateLimit: *limit, Filter: { Partitions: { aws: { Regions: { include: [sa-east-1] } } } } }`,
).join('\n')}
`,
);
const env = { ...process.env, KEY_ID: key.accessKeyId, SECRET: key.secretAccessKey, ENDPOINT: url };
Object.assign(process.env, env);
const { loadConfig, buildRegionalAccountSet, getSection, closeConfiguredStores } =
  await import('@cs/config');
const document = await loadConfig(configFile);
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const input = { service: 'sts', operation: 'GetCallerIdentity' };
await ask('latency', { rule: { ms: latency, service: 'sts', operation: 'GetCallerIdentity' } });
if (values.way === 'throttle') await ask('latency', { rule: { ms: 20, service: 'ec2' } });

let result;
if (values.way === 'inprocess') {
  await import('@aws-sdk/client-sts');
  const set = buildRegionalAccountSet(
    getSection(document, 'Bench.RegionalAccountSet', 'RegionalAccountSet'),
    {
      loadServiceModule: (name) => import(name),
    },
  );
  // Warm-up, as bench/fanout's: the same work on other accounts (sa-east-1), so that the timed
  // run meets JIT-compiled code, as a long-lived process does.
  await buildRegionalAccountSet(
    getSection(document, 'Warm.RegionalAccountSet', 'RegionalAccountSet'),
    {
      loadServiceModule: (name) => import(name),
    },
  ).map((ra, signal) => ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }), {
    aliases: false,
  });
  const cpu0 = cpuNow();
  const t0 = performance.now();
  const report = await set.map(
    (ra, signal) => ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
    {
      concurrency,
      aliases: false,
    },
  );
  result = {
    way: 'in-process',
    wall: performance.now() - t0,
    cpu: cpuNow() - cpu0,
    ok: report.summary.succeeded,
  };
  if (process.env.BENCH_DEBUG) console.error((await ask('stats')).byOperation);
} else {
  // A fresh redis-server on a free port, its append-only file synced every second.
  const redisServer = await startRedisServer(undefined, queueRedisArgs(dir, 'everysec'));
  const redisUrl = redisServer.url;
  const client = new Redis(redisUrl);
  const info = async () => {
    const text = await client.info('all');
    const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
    let calls = 0;
    const byCommand = {};
    for (const m of text.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
      if (m[1] !== 'info') calls += Number(m[2]);
      byCommand[m[1]] = Number(m[2]);
    }
    return {
      byCommand,
      calls,
      cpu: (field('used_cpu_user') + field('used_cpu_sys')) * 1000,
      memory: field('used_memory'),
    };
  };
  const { submitRun } = await import('@cs/fanout-bullmq');
  const { tasks } = await import('./tasks.mjs');
  const n = values.way === 'queue' ? Number(values.n) : values.way === 'throttle' ? 4 : 0;
  const workers = [];
  for (let i = 0; i < n; i += 1) {
    const w = fork(
      here('worker.mjs'),
      [redisUrl, configFile, String(values.way === 'throttle' ? 16 : concurrency / n)],
      {
        env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv:
          values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values.profile],
      },
    );
    await new Promise((resolve) => w.once('message', resolve));
    workers.push({ child: w, ask: asker(w) });
  }
  if (values.way === 'queue') {
    // Warm-up, as the in-process run's: a run of the same task on other accounts, so that the
    // producer and the workers meet JIT-compiled code, as long-lived workers do.
    const warm = await submitRun({
      connection: redisUrl,
      config: { document, file: configFile },
      app: 'Warm',
      task: 'call',
      input,
      tasks,
      aliases: false,
    });
    await warm.report();
    await warm.close();
  }
  const workersCpu = async () =>
    (await Promise.all(workers.map((w) => w.ask('cpu')))).reduce((a, b) => a + b, 0);
  const before = await info();
  const wcpu0 = await workersCpu();
  const cpu0 = cpuNow();
  let peak = before.memory;
  const sampler = setInterval(() => {
    void info().then(
      (i) => (peak = Math.max(peak, i.memory)),
      () => undefined,
    );
  }, 100);
  const t0 = performance.now();
  const run = await submitRun({
    connection: redisUrl,
    config: { document, file: configFile },
    app: 'Bench',
    task: values.way === 'throttle' ? 'bench-describe' : 'call',
    input: values.way === 'throttle' ? { calls: 2 } : input,
    tasks,
    aliases: false,
    // An account's 16 regions in four jobs, so that several workers run each account at once.
    ...(values.way === 'throttle' ? { targetsPerJob: 4 } : {}),
  });
  if (values.way === 'memory') {
    clearInterval(sampler);
    const after = await info();
    result = { targets: run.total, bytes: after.memory - before.memory };
    await run.close();
  } else {
    const report = await run.report();
    const wall = performance.now() - t0;
    clearInterval(sampler);
    const after = await info();
    await run.close();
    const parts = {
      producer: cpuNow() - cpu0,
      workers: (await workersCpu()) - wcpu0,
      redis: after.cpu - before.cpu,
    };
    const cpu = parts.producer + parts.workers + parts.redis;
    result =
      values.way === 'throttle'
        ? {
            targets: run.total,
            calls: 2,
            regions,
            limit: opLimit,
            wall,
            ok: report.summary.succeeded,
            maxWindow: await ask('maxWindow', { windowMs: 1000, filter: { service: 'ec2' } }),
            maxSentWindow: Math.max(
              ...report.results.map((r) => largestWindowCount(r.ok ? r.value.sent : [], 1000)),
              ...byAccount(report.results),
            ),
          }
        : {
            way: `queue, ${n} worker${n === 1 ? '' : 's'} × ${concurrency / n}`,
            wall,
            cpu,
            ok: report.summary.succeeded,
            roundTrips: after.calls - before.calls,
            scripts:
              (after.byCommand.evalsha ?? 0) +
              (after.byCommand.eval ?? 0) -
              (before.byCommand.evalsha ?? 0) -
              (before.byCommand.eval ?? 0),
            errors: process.env.BENCH_DEBUG
              ? report
                  .failures()
                  .slice(0, 3)
                  .map((f) => `${f.errorClass}: ${f.error.message}`)
              : undefined,
            byClass: report.summary.byClass,
            byCommand: process.env.BENCH_DEBUG ? after.byCommand : undefined,
            parts: process.env.BENCH_DEBUG ? parts : undefined,
            byOperation: process.env.BENCH_DEBUG ? (await ask('stats')).byOperation : undefined,
            peakMemory: Math.max(peak, after.memory) - before.memory,
          };
  }
  for (const w of workers) {
    const exited = new Promise((resolve) => w.child.once('exit', resolve));
    w.child.send({ cmd: 'close' });
    await exited;
  }
  client.disconnect();
  await redisServer.stop();
}
await closeConfiguredStores();
await ask('close');
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result));
process.exit(0);

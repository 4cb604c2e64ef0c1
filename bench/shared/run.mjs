#!/usr/bin/env node
// Benchmark of limits shared beyond one process: @cs/ratelimit-redis (4 processes through Redis)
// and @cs/ratelimit's SharedMemoryRateLimitStore (4 worker threads), side by side with
// bottleneck's Redis clustering (2.19.5, its ioredis datastore) and rate-limiter-flexible's
// RateLimiterRedis (with its RateLimiterQueue, to wait rather than be refused), in one run.
// It starts its own redis-server (Debian's, on PATH) on a free loopback port, without persistence.
//
//   node bench/shared/run.mjs           full run (the figures in packages/ratelimit-redis/README.md)
//   node bench/shared/run.mjs --quick   shorter runs, for a smoke test
//
// Needs the built packages: pnpm exec turbo run build --filter=@cs/ratelimit-redis...
//
// Measurements, for each implementation:
// - saturated: 4 processes (or threads) x 50 callers share 200 grants per 1000 ms for 5 s:
//   the largest number of grants in any 1000 ms window (target: never over 200), on the time each
//   caller saw its grant (performance.timeOrigin-based, one clock for the machine) and, for
//   @cs/ratelimit-redis, on the decision times Redis recorded (its TIME); achieved / configured
//   (grants / (200 x 5); target >= 0.95); Jain's fairness index over the 4 processes' grant counts
//   (1 = equal shares, 0.25 = one process takes everything);
// - no limit hit (a limit far above the rate): acquisitions per second, all processes together.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SharedMemoryRateLimitStore } from '@cs/ratelimit';
import { largestWindowCount } from '../../test/windows.mjs';

const quick = process.argv.includes('--quick');
const PROCESSES = 4;
const CALLERS = 50;
const LIMIT = 200;
const INTERVAL = 1000;
const DURATION = quick ? 2000 : 5000;
const FREE_DURATION = quick ? 1000 : 2000;
const HIGH = 1_000_000; // "no limit hit": a million per 100 ms
const HIGH_INTERVAL = 100;

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const epochNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// redis-server

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  if (spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-server is not on PATH: install it with `apt-get install redis-server`');
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; ; i++) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 200) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

// ---------------------------------------------------------------------------------------------
// Running 4 processes or 4 threads

async function runProcesses(setup, duration) {
  const children = Array.from({ length: PROCESSES }, () => {
    const child = spawn(process.execPath, [here('./proc.mjs'), JSON.stringify(setup)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    return { child, lines };
  });
  for (const { lines } of children) {
    const first = await lines.next();
    if (first.value !== 'ready') throw new Error(`a process did not start: ${first.value}`);
  }
  const startAt = epochNow() + 200;
  for (const { child } of children) child.stdin.write(`go ${startAt} ${duration}\n`);
  const reports = [];
  for (const { lines } of children) reports.push(JSON.parse((await lines.next()).value));
  return { reports, startAt };
}

async function runThreads(setup, duration) {
  const store = new SharedMemoryRateLimitStore({ capacity: setup.capacity });
  const workers = Array.from(
    { length: PROCESSES },
    () =>
      new Worker(here('./thread.mjs'), {
        workerData: { ...setup, shared: store.toShared() },
      }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const startAt = epochNow() + 200;
  const done = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
  for (const w of workers) w.postMessage({ startAt, duration });
  const reports = await Promise.all(done);
  await Promise.all(workers.map((w) => w.terminate()));
  const decisions = store.recentGrants().filter((t) => t >= startAt && t <= startAt + duration);
  return { reports, startAt, decisions };
}

// ---------------------------------------------------------------------------------------------
// Figures

const jain = (xs) => {
  const sum = xs.reduce((a, b) => a + b, 0);
  const squares = xs.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (xs.length * squares);
};

const IMPLEMENTATIONS = [
  { name: '@cs/ratelimit-redis (4 processes)', impl: 'cs' },
  { name: '@cs/ratelimit SharedMemoryRateLimitStore (4 threads)', impl: 'shm' },
  { name: 'bottleneck 2.19.5 Redis clustering (4 processes)', impl: 'bottleneck' },
  { name: 'rate-limiter-flexible RateLimiterRedis + Queue (4 processes)', impl: 'rlf' },
];

async function saturated(redis, { impl }, n) {
  const key = `bench:${impl}:${n}`;
  const setup = {
    impl,
    url: redis.url,
    key,
    callers: CALLERS,
    maxCount: LIMIT,
    interval: INTERVAL,
  };
  const run =
    impl === 'shm'
      ? // room for every grant of the run, so that the decision times cover all of it
        await runThreads({ ...setup, capacity: LIMIT * (DURATION / INTERVAL + 1) }, DURATION)
      : await runProcesses(setup, DURATION);
  const observed = run.reports.flatMap((r) => r.observed);
  const decisions = run.decisions ?? run.reports.flatMap((r) => r.decisions ?? []);
  return {
    maxObserved: largestWindowCount(observed, INTERVAL),
    maxDecided: decisions.length > 0 ? largestWindowCount(decisions, INTERVAL) : undefined,
    ratio: observed.length / (LIMIT * (DURATION / 1000)),
    jain: jain(run.reports.map((r) => r.observed.length)),
    // A run-long index can average out whole windows that went to one process: the shares in
    // each interval of the run, on the callers' clocks, show them.
    perInterval: run.reports.map((r) => {
      const counts = new Array(Math.ceil(DURATION / INTERVAL)).fill(0);
      for (const t of r.observed) {
        counts[Math.min(counts.length - 1, Math.floor((t - run.startAt) / INTERVAL))]++;
      }
      return counts;
    }),
  };
}

async function free(redis, { impl }, n) {
  const key = `bench:free:${impl}:${n}`;
  const setup = {
    impl,
    url: redis.url,
    key,
    callers: CALLERS,
    maxCount: HIGH,
    interval: HIGH_INTERVAL,
  };
  const run =
    impl === 'shm'
      ? await runThreads({ ...setup, capacity: HIGH }, FREE_DURATION)
      : await runProcesses(setup, FREE_DURATION);
  const count = run.reports.reduce((a, r) => a + r.observed.length, 0);
  return count / (FREE_DURATION / 1000);
}

// ---------------------------------------------------------------------------------------------

const redis = await startRedis();
const rows = [];
try {
  let n = 0;
  for (const implementation of IMPLEMENTATIONS) {
    n++;
    process.stderr.write(`${implementation.name}: saturated... `);
    const s = await saturated(redis, implementation, n);
    process.stderr.write('no limit... ');
    const f = await free(redis, implementation, n);
    process.stderr.write('done\n');
    rows.push({ name: implementation.name, ...s, free: f });
  }
} finally {
  redis.stop();
}

const fmt = (x, digits = 2) => (x === undefined ? 'n/a' : x.toFixed(digits));
console.log(
  `\n${PROCESSES} processes (threads) x ${CALLERS} callers sharing ${LIMIT} grants per ${INTERVAL} ms for ${DURATION / 1000} s; no limit hit: ${FREE_DURATION / 1000} s. Node ${process.version}, ${
    (await import('node:os')).cpus().length
  } CPUs.\n`,
);
console.log(
  '| implementation | largest count in any 1 s window, seen by callers | ... on decision times | achieved / configured | Jain index over processes | acquisitions/s, no limit hit |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.maxObserved} | ${r.maxDecided ?? 'n/a'} | ${fmt(r.ratio)} | ${fmt(r.jain, 3)} | ${Math.round(r.free).toLocaleString('en-US')} |`,
  );
}
console.log(
  `\nGrants per ${INTERVAL} ms of the saturated run, for each process (thread), in order:\n`,
);
for (const r of rows) {
  console.log(`- ${r.name}: ${r.perInterval.map((counts) => counts.join(', ')).join(' | ')}`);
}

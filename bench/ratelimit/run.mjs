#!/usr/bin/env node
// Benchmark of @cs/ratelimit side by side with limiter, p-throttle (default and strict) and
// bottleneck. Each measurement runs in its own child process (a fresh heap and JIT), one after the
// other, and the parent prints one markdown table.
//
//   node bench/ratelimit/run.mjs           full run (the figures in packages/ratelimit/README.md)
//   node bench/ratelimit/run.mjs --quick   shorter runs, for a smoke test
//
// Needs the built package: pnpm exec turbo run build --filter=@cs/ratelimit
//
// Measurements:
// - overhead, no limit hit (a limit of 1e9 per 1000 ms): acquisitions per second for 1 caller
//   and for 50 concurrent callers, each `await`ing one acquisition after another; the bare
//   `await Promise.resolve()` for reference;
// - exactness: a limit of 100 per 1000 ms, 50 callers saturating it for 5 s: grants / configured
//   (100 x 5), the largest number of grants in any 1000 ms window, Jain's fairness index over the
//   callers' grant counts, and FIFO inversions (grants served before an earlier request);
// - edge probe: one call at t=0, 150 calls at t=900 ms: the largest number of grants in any 1000 ms
//   window.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { largestWindowCount } from '../../test/windows.mjs';

const HIGH = 1e9; // "no limit hit"
const LIMIT = 100;
const INTERVAL = 1000;
const EDGE_RUNS = 5;
const OVERHEAD_RUNS = 3;

// ---------------------------------------------------------------------------------------------
// The limiters, each as `make(maxCount, intervalMs) => acquire()` returning a promise.

const LIMITERS = {
  '@cs/ratelimit': async () => {
    const { MemoryRateLimitStore, RateLimitProperties } = await import('@cs/ratelimit');
    return (maxCount, interval, decisions) => {
      // With `decisions`, a store around the memory store logs the time of each grant decision.
      const inner = new MemoryRateLimitStore();
      const store = decisions
        ? {
            synchronous: true,
            take(clock, m, i) {
              const d = inner.take(clock, m, i);
              if (d <= 0) decisions.push(clock.now());
              return d;
            },
            clear: () => inner.clear(),
          }
        : inner;
      const limit = new RateLimitProperties({ maxCount, interval, block: true, store });
      return () => limit.acquire();
    };
  },
  limiter: async () => {
    const { RateLimiter } = await import('limiter');
    return (maxCount, interval) => {
      const limit = new RateLimiter({ tokensPerInterval: maxCount, interval });
      return () => limit.removeTokens(1);
    };
  },
  'p-throttle': async () => {
    const { default: pThrottle } = await import('p-throttle');
    return (maxCount, interval) => pThrottle({ limit: maxCount, interval })(() => undefined);
  },
  'p-throttle strict': async () => {
    const { default: pThrottle } = await import('p-throttle');
    return (maxCount, interval) =>
      pThrottle({ limit: maxCount, interval, strict: true })(() => undefined);
  },
  bottleneck: async () => {
    const { default: Bottleneck } = await import('bottleneck');
    return (maxCount, interval) => {
      const limit = new Bottleneck({
        reservoir: maxCount,
        reservoirRefreshAmount: maxCount,
        reservoirRefreshInterval: interval,
      });
      const job = () => undefined;
      return () => limit.schedule(job);
    };
  },
  'bare await Promise.resolve()': async () => () => () => Promise.resolve(),
};

// ---------------------------------------------------------------------------------------------
// Measurements (in the child).

async function overhead(make, callers, ms) {
  const acquire = make(HIGH, INTERVAL);
  // Awaiting an already resolved promise never yields to timers: each loop also reads the clock
  // itself, every 1024 acquisitions (slow limiters, which do yield, are stopped by the timer).
  const run = async (duration) => {
    const end = performance.now() + duration;
    let total = 0;
    let stop = false;
    const timer = setTimeout(() => (stop = true), duration);
    const loop = async () => {
      let n = 0;
      for (;;) {
        await acquire();
        if (stop || ((++n & 1023) === 0 && performance.now() >= end)) break;
      }
      total += n;
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: callers }, loop));
    clearTimeout(timer);
    return (total / (performance.now() - t0)) * 1000;
  };
  await run(Math.min(300, ms / 4)); // warm-up
  return { perSecond: await run(ms) };
}

async function exactness(make, callers, ms) {
  await warmUp(make);
  const decisions = [];
  const acquire = make(LIMIT, INTERVAL, decisions);
  const t0 = performance.now();
  const end = t0 + ms;
  const times = [];
  const perCaller = new Array(callers).fill(0);
  let ticket = 0;
  let highest = -1;
  let inversions = 0;
  const loop = async (id) => {
    while (performance.now() < end) {
      const mine = ticket++;
      await acquire();
      const t = performance.now();
      if (t >= end) return;
      times.push(t - t0);
      perCaller[id]++;
      if (mine < highest) inversions++;
      else highest = mine;
    }
  };
  await Promise.race([
    Promise.all(Array.from({ length: callers }, (_, i) => loop(i))),
    new Promise((r) => setTimeout(r, ms + 50)),
  ]);
  const sum = perCaller.reduce((a, b) => a + b, 0);
  const squares = perCaller.reduce((a, b) => a + b * b, 0);
  return {
    grantsOverConfigured: times.length / ((LIMIT * ms) / INTERVAL),
    largestWindow: largestWindowCount(times, INTERVAL),
    jain: squares === 0 ? 0 : (sum * sum) / (callers * squares),
    inversions,
    decisionWindow: decisions.length ? largestWindowCount(decisions, INTERVAL) : undefined,
  };
}

async function edgeProbe(make) {
  await warmUp(make);
  const decisions = [];
  const acquire = make(LIMIT, INTERVAL, decisions);
  const t0 = performance.now();
  const times = [];
  const take = () => acquire().then(() => times.push(performance.now() - t0));
  const first = take();
  await new Promise((r) => setTimeout(r, 900 - (performance.now() - t0)));
  const rest = Array.from({ length: 150 }, take);
  await Promise.race([Promise.all([first, ...rest]), new Promise((r) => setTimeout(r, 5000))]);
  return {
    largestWindow: largestWindowCount(times, INTERVAL),
    granted: times.length,
    decisionWindow: decisions.length ? largestWindowCount(decisions, INTERVAL) : undefined,
  };
}

/** Runs the limiter's code paths (immediate grants and waits) on a throwaway instance first. */
async function warmUp(make) {
  const acquire = make(20, 20);
  for (let round = 0; round < 5; round++) {
    await Promise.race([
      Promise.all(Array.from({ length: 60 }, () => acquire())),
      new Promise((r) => setTimeout(r, 200)),
    ]);
  }
}

async function child(job) {
  const make = await LIMITERS[job.limiter]();
  let result;
  if (job.kind === 'overhead') result = await overhead(make, job.callers, job.ms);
  else if (job.kind === 'exactness') result = await exactness(make, job.callers, job.ms);
  else result = await edgeProbe(make);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0); // leave pending timers of the limiters behind
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per measurement, sequentially, then the table.

function runChild(job) {
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', JSON.stringify(job)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  if (r.status !== 0) {
    process.stderr.write(`${job.limiter} ${job.kind}: exit ${r.status}\n${r.stderr}\n`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** The best of `n` overhead runs (each in its own process): the least disturbed by other load. */
function bestOf(n, job) {
  const runs = Array.from({ length: n }, () => runChild(job)).filter(Boolean);
  return runs.length ? runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)) : undefined;
}

/** The edge probe over its runs: median, and each run's figure. */
function edgeCell(runs) {
  if (runs === undefined) return '—';
  if (runs.length === 0) return 'failed';
  const sorted = runs.map((e) => e.largestWindow).sort((a, b) => a - b);
  const short = runs.filter((e) => e.granted < 151).length;
  return `${sorted[sorted.length >> 1]} (${runs.map((e) => e.largestWindow).join(', ')})${short ? `, ${short} runs short of 151 grants in 5 s` : ''}`;
}

async function parent(quick) {
  const overheadMs = quick ? 500 : 2000;
  const exactMs = quick ? 2000 : 5000;
  const rows = [];
  for (const limiter of Object.keys(LIMITERS)) {
    const bare = limiter.startsWith('bare');
    process.stderr.write(`measuring ${limiter}...\n`);
    const one = bestOf(OVERHEAD_RUNS, { limiter, kind: 'overhead', callers: 1, ms: overheadMs });
    const fifty = bestOf(OVERHEAD_RUNS, { limiter, kind: 'overhead', callers: 50, ms: overheadMs });
    const exact = bare
      ? undefined
      : runChild({ limiter, kind: 'exactness', callers: 50, ms: exactMs });
    const edge = bare
      ? undefined
      : Array.from({ length: EDGE_RUNS }, () => runChild({ limiter, kind: 'edge' })).filter(
          Boolean,
        );
    rows.push({ limiter, one, fifty, exact, edge });
  }
  const m = (x) =>
    x === undefined
      ? 'failed'
      : x.perSecond >= 1e4
        ? (x.perSecond / 1e6).toFixed(2)
        : `${(x.perSecond / 1e6).toFixed(5)}`;
  const f = (x, fn) => (x === undefined ? '—' : fn(x));
  const lines = [
    `| limiter | 1 caller, M acq/s | 50 callers, M acq/s | grants / configured | max in any ${INTERVAL} ms (limit ${LIMIT}) | Jain fairness | FIFO inversions | edge probe: max in any ${INTERVAL} ms, median (${EDGE_RUNS} runs) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.limiter} | ${m(r.one)} | ${m(r.fifty)} | ${f(r.exact, (e) => e.grantsOverConfigured.toFixed(3))} | ${f(r.exact, (e) => e.largestWindow)} | ${f(r.exact, (e) => e.jain.toFixed(3))} | ${f(r.exact, (e) => e.inversions)} | ${edgeCell(r.edge)} |`,
    );
  }
  const cs = rows.find((r) => r.limiter === '@cs/ratelimit');
  if (cs?.exact && cs.edge?.length) {
    console.log(
      `\n@cs/ratelimit at its own decision times (a store wrapper logs them): saturated run ${cs.exact.decisionWindow}, edge probes ${cs.edge.map((e) => e.decisionWindow).join(', ')} in any ${INTERVAL} ms. The columns above are the times the callers' code resumed, which the event loop can delay on a loaded machine.`,
    );
  }
  const pt = rows.find((r) => r.limiter === 'p-throttle');
  console.log(lines.join('\n'));
  if (cs?.one && pt?.one) {
    console.log(
      `\n@cs/ratelimit / p-throttle, 1 caller: ${(cs.one.perSecond / pt.one.perSecond).toFixed(2)}x; 50 callers: ${(cs.fifty.perSecond / pt.fifty.perSecond).toFixed(2)}x`,
    );
  }
  console.log(
    `\n${quick ? 'Quick run' : 'Full run'}: overhead ${overheadMs} ms per cell, best of ${OVERHEAD_RUNS} processes (limit ${HIGH} per ${INTERVAL} ms, never reached); exactness ${LIMIT} per ${INTERVAL} ms, 50 callers for ${exactMs / 1000} s; edge probe 1 call at t=0 and 150 at t=900 ms. Node ${process.version}, each cell in its own process.`,
  );
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(JSON.parse(args[1]));
else await parent(args.includes('--quick'));

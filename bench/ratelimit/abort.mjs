#!/usr/bin/env node
// Benchmark: N waiters of one @cs/ratelimit limiter sharing ONE AbortSignal (what a fan-out with
// one AbortController does), aborted at once. Reports the time to enqueue them and the time from
// `abort()` until every acquisition has rejected, side by side with the way the limiter worked
// before (one 'abort' listener per waiter, each removing itself from the signal while it is
// dispatching), reproduced here on the same EventTarget. Each cell runs in its own process.
//
//   node bench/ratelimit/abort.mjs           10,000 / 20,000 / 100,000 waiters (the old way up to 40,000)
//   node bench/ratelimit/abort.mjs --quick   10,000 / 100,000 (the old way at 10,000 only)
//
// Needs the built package: pnpm exec turbo run build --filter=@cs/ratelimit
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The limiter of the package: one listener per signal, a set of waiters per signal. */
async function current(n) {
  const { RateLimitProperties } = await import('@cs/ratelimit');
  const limit = new RateLimitProperties({ maxCount: 1, interval: 1e9, block: true });
  await limit.acquire(); // every later acquisition waits
  const ac = new AbortController();
  const t0 = performance.now();
  const waits = Array.from({ length: n }, () =>
    limit.acquire({ signal: ac.signal }).catch(() => 1),
  );
  const t1 = performance.now();
  ac.abort();
  const rejected = (await Promise.all(waits)).length;
  const t2 = performance.now();
  if (rejected !== n || limit.stats.waiting !== 0) throw new Error('not every waiter was aborted');
  return { enqueueMs: t1 - t0, abortMs: t2 - t1 };
}

/**
 * The old way, reduced to what costs: a queue of waiters, each with its own listener that, on
 * abort, unlinks its waiter and removes itself from the signal (as the old `#remove` did).
 */
async function old(n) {
  const ac = new AbortController();
  const signal = ac.signal;
  let waiting = 0;
  const t0 = performance.now();
  const waits = Array.from({ length: n }, () =>
    new Promise((resolve, reject) => {
      waiting++;
      const onAbort = () => {
        waiting--;
        signal.removeEventListener('abort', onAbort);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }).catch(() => 1),
  );
  const t1 = performance.now();
  ac.abort();
  const rejected = (await Promise.all(waits)).length;
  const t2 = performance.now();
  if (rejected !== n || waiting !== 0) throw new Error('not every waiter was aborted');
  return { enqueueMs: t1 - t0, abortMs: t2 - t1 };
}

const WAYS = { current, old };

function runChild(way, n) {
  const r = spawnSync(
    process.execPath,
    ['--no-warnings', fileURLToPath(import.meta.url), '--child', way, String(n)],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const fmt = (ms) =>
  ms === undefined ? 'n/a' : ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);

async function parent(quick) {
  const sizes = quick ? [10_000, 100_000] : [10_000, 20_000, 40_000, 100_000];
  const oldUpTo = quick ? 10_000 : 40_000;
  const lines = [
    '| waiters on one signal | @cs/ratelimit: enqueue (ms) | @cs/ratelimit: abort until all rejected (ms) | old way: enqueue (ms) | old way: abort (ms) | old / new (abort) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const n of sizes) {
    const a = runChild('current', n);
    const b = n <= oldUpTo ? runChild('old', n) : undefined;
    const ratio = a && b ? `${(b.abortMs / a.abortMs).toFixed(0)}x` : 'n/a (quadratic: not run)';
    lines.push(
      `| ${n.toLocaleString('en-US')} | ${fmt(a?.enqueueMs)} | ${fmt(a?.abortMs)} | ${fmt(b?.enqueueMs)} | ${fmt(b?.abortMs)} | ${ratio} |`,
    );
  }
  console.log(lines.join('\n'));
  console.log(
    `\nOne process per cell, Node ${process.version}. "Old way": one listener per waiter that removes itself on abort (the limiter before issue 14), reproduced on the same AbortSignal.`,
  );
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const result = await WAYS[args[1]](Number(args[2]));
  console.log(JSON.stringify(result));
} else {
  await parent(args.includes('--quick'));
}

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisRateLimitStore } from '../src/index';
import { client, largestWindowCount, uniqueKey } from './helpers';

const url = inject('redisUrl');
const packageDir = join(import.meta.dirname, '..');
let script: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  // Child processes run plain JavaScript: bundle the fixture with this package's sources, and
  // leave @cs/ratelimit (its built dist) and ioredis to be resolved from this package.
  const dir = join(packageDir, 'node_modules', '.cache', 'cs-ratelimit-redis-test');
  mkdirSync(dir, { recursive: true });
  script = join(dir, 'redis-process.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'redis-process.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['ioredis', '@cs/ratelimit'],
    outfile: script,
    logLevel: 'error',
  });
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

interface Report {
  granted: number;
  times: number[];
  refusals: number;
  errors: string[];
  maxCount: number;
  interval: number;
}

/** Starts a child process and resolves once it says "ready"; `report` resolves with its report. */
async function startProcess(
  setup: object,
): Promise<{ go: (ms: number) => void; report: Promise<Report> }> {
  const child = spawn(process.execPath, [script, JSON.stringify(setup)], { cwd: packageDir });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${stderr}`))),
  );
  const first = await Promise.race([iterator.next(), exited]);
  if (first.value !== 'ready') {
    // it ended: say why
    await exited;
  }
  return {
    go: (ms) => child.stdin.write(`go ${ms}\n`),
    report: Promise.race([
      iterator.next().then((r) => JSON.parse(r.value as string) as Report),
      exited,
    ]),
  };
}

describe('RedisRateLimitStore across 4 processes', () => {
  it('one budget for all: no window holds more than the limit, and a change at run time reaches every process', async () => {
    const key = uniqueKey('processes');
    const setup = { url, key, maxCount: 20, interval: 500, callers: 10 };
    const processes = await Promise.all(Array.from({ length: 4 }, () => startProcess(setup)));
    const admin = new RedisRateLimitStore({ client: client(url), key, subscribe: false });
    for (const p of processes) p.go(2200);
    // halfway, lower the limit for everyone
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const changed = await admin.setLimit(10, 500);
    const [seconds, micros] = await admin.client.time();
    const changedAt = Number(seconds) * 1000 + Number(micros) / 1000;
    const reports = await Promise.all(processes.map((p) => p.report));
    await admin.close();

    const all = reports.flatMap((r) => r.times);
    // every grant a caller received was decided in Redis (a decision still in flight when its
    // caller gave up at the deadline is recorded but unused: the store may grant a few more)
    const received = reports.reduce((n, r) => n + r.granted, 0);
    expect(all.length).toBeGreaterThanOrEqual(received);
    expect(all.length).toBeLessThanOrEqual(received + 4 * 2);
    // the guarantee across processes, on Redis time
    expect(largestWindowCount(all, 500)).toBeLessThanOrEqual(20);
    // after the change has had one interval to take effect, the new limit holds
    const after = all.filter((t) => t > changedAt + 500);
    expect(after.length).toBeGreaterThan(0);
    expect(largestWindowCount(after, 500)).toBeLessThanOrEqual(10);
    // every process's limiter learned the new limit
    for (const r of reports) expect([r.maxCount, r.interval]).toEqual([10, 500]);
    expect(changed.maxCount).toBe(10);
    // the budget is used: ~2 windows of 20 then ~2.4 of 10, allow for late timers
    expect(received).toBeGreaterThanOrEqual(55);
    // blocked callers wait for the answered time: a few refusals per window and process, no storm
    for (const r of reports) expect(r.refusals).toBeLessThan(60);
  });
});

describe('two processes naming one key with different limits (5 and 15 per second)', () => {
  it('one of them is granted its limit; the other is refused with RateLimitKeyConflictError at once, never starved silently', async () => {
    const key = uniqueKey('two-limits');
    const processes = await Promise.all(
      [5, 15].map((maxCount) => startProcess({ url, key, maxCount, interval: 1000, callers: 5 })),
    );
    for (const p of processes) p.go(1500);
    const reports = await Promise.all(processes.map((p) => p.report));
    const granted = reports.filter((r) => r.granted > 0);
    const refused = reports.filter((r) => r.granted === 0);
    // whichever decided first holds the key; the other's every caller was told why
    expect(granted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = granted[0]!;
    expect(winner.errors).toEqual([]);
    expect(winner.granted).toBeGreaterThanOrEqual(winner.maxCount);
    expect(largestWindowCount(winner.times, 1000)).toBeLessThanOrEqual(winner.maxCount);
    expect(refused[0]!.errors).toEqual(Array(5).fill('RateLimitKeyConflictError'));
  });
});

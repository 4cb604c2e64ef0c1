#!/usr/bin/env node
// `pnpm bench report-html [runs]`: the HTML report of synthetic fan-outs (500 accounts × 20 regions
// = 10,000 targets, and smaller), rendered by @cs/report-html and opened in headless Chromium
// (Debian's /usr/bin/chromium, or CS_AWS_CHROMIUM) through playwright-core. Prints, per report: the
// file size, the time to render it in Node, and the time Chromium takes to open it (navigation
// start to the load event, and to the first contentful paint), medians of `runs` (default 5) fresh
// pages. Never part of the tests. The issue's bounds: under 5 MB, open in under 2 s.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AwsClientError, FanOutReport } from '@cs/regional';
import { renderReportHtml } from '@cs/report-html';
import { chromium } from 'playwright-core';

const runs = Number(process.argv[2] ?? 5);
const CHROMIUM = process.env.CS_AWS_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CS_AWS_CHROMIUM`);
  process.exit(2);
}

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'af-south-1',
  'me-south-1',
];
const FAILURES = [
  [
    'access-denied',
    'AccessDenied',
    'User: arn:aws:sts::{id}:assumed-role/Auditor/cs-aws is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action',
  ],
  [
    'explicit-deny',
    'AccessDenied',
    'User: arn:aws:sts::{id}:assumed-role/Auditor/cs-aws is not authorized to perform: ec2:DescribeInstances with an explicit deny in a service control policy',
  ],
  [
    'region-not-enabled',
    'AuthFailure',
    'AWS was not able to validate the provided access credentials',
  ],
  ['throttled', 'RequestLimitExceeded', 'Request limit exceeded.'],
  ['network', 'ECONNRESET', 'socket hang up'],
];

/** The error a RegionalAccount throws for an SDK error of this code and message. */
const awsError = (code, message, target) =>
  new AwsClientError(
    Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: 400 } }),
    {
      ...target,
      service: 'ec2',
      operation: 'DescribeInstances',
    },
  );

/** A deterministic pseudo-random number in [0, 1). */
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

/** A report of `accounts` × 20 regions; `failedShare` of the targets fail, 3% are skipped. */
function syntheticReport(accounts, failedShare) {
  const results = [];
  for (let a = 0; a < accounts; a++) {
    const id = String(100000000000 + a * 7919);
    const alias = `acme-${['prod', 'staging', 'dev', 'sandbox', 'data'][a % 5]}-${a}`;
    const suspended = a % 97 === 13;
    for (const region of REGIONS) {
      const base = { accountId: id, alias, region, target: undefined };
      const durationMs = Math.round(40 + random() ** 3 * 4_000);
      if (suspended) {
        results.push({
          ...base,
          ok: false,
          status: 'skipped',
          durationMs: 0,
          errorClass: 'account-not-active',
          errorCode: undefined,
          error: new Error(`account ${id} is SUSPENDED: it is not called`),
        });
      } else if (random() < failedShare) {
        const [errorClass, errorCode, message] = FAILURES[Math.floor(random() * FAILURES.length)];
        results.push({
          ...base,
          ok: false,
          status: 'failed',
          durationMs,
          errorClass,
          errorCode,
          error: awsError(errorCode, message.replace('{id}', id), { accountId: id, alias, region }),
        });
      } else {
        results.push({
          ...base,
          ok: true,
          status: 'succeeded',
          durationMs,
          value: {
            arn: `arn:aws:sts::${id}:assumed-role/Auditor/cs-aws`,
            userId: `AROA${id}:cs-aws`,
          },
        });
      }
    }
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  return new FanOutReport(results, {
    total: results.length,
    completed: results.length,
    succeeded: count('succeeded'),
    failed: count('failed'),
    skipped: count('skipped'),
    running: 0,
    byClass: {},
    stopped: undefined,
    durationMs: 95_000,
  });
}

const timing = (r) => ({
  requests: 1 + (r.durationMs % 3),
  rateLimitWaitMs: r.durationMs > 1_000 ? r.durationMs / 2 : 0,
  rateLimitWaits: r.durationMs > 1_000 ? 1 : 0,
  throttled: r.durationMs % 7 === 0 ? 1 : 0,
  retries: r.durationMs % 7 === 0 ? 1 : 0,
});

/**
 * The CPU time (user + system, ms) that Chromium's processes have used: the browser (found by its
 * profile directory on its command line) and every process under it. Linux only (/proc); a figure
 * that other processes on a busy machine change far less than the wall clock.
 */
const TICK_MS = 10; // USER_HZ = 100 on Linux
function chromiumCpuMs(profileDir) {
  const procs = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      procs.set(pid, {
        ppid: fields[1],
        cpu: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
        cmdline,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  const roots = [...procs]
    .filter(([, p]) => p.cmdline.includes(profileDir) && !p.cmdline.includes('--type='))
    .map(([pid]) => pid);
  const inTree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs)
      if (!inTree.has(pid) && inTree.has(p.ppid)) (inTree.add(pid), (grew = true));
  }
  return [...inTree].reduce((sum, pid) => sum + procs.get(pid).cpu, 0);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const dir = mkdtempSync(join(tmpdir(), 'cs-aws-report-bench-'));
const profile = mkdtempSync(join(tmpdir(), 'cs-aws-report-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1280, height: 900 },
});

/** The baseline: the same results as a plain table, one row per target, no style. */
const plainTable = (report) =>
  `<!doctype html><meta charset="utf-8"><table>${report.results
    .map(
      (r) =>
        `<tr><td>${r.alias}<td>${r.accountId}<td>${r.region}<td>${r.status}<td>${r.durationMs}<td>${r.ok ? JSON.stringify(r.value) : r.error.message}`,
    )
    .join('')}</table>`.replace(/"/g, '&quot;');

const cases = [
  ['1,000 targets, 6% failed', 50, 0.06],
  ['10,000 targets, 6% failed', 500, 0.06],
  ['10,000 targets, 50% failed', 500, 0.5],
  ['10,000 targets, every one failed', 500, 1],
  ['baseline: the 10,000 targets (6% failed) as a plain table, no style', 500, 0.06, true],
];
const rows = [];
try {
  for (const [label, accounts, failedShare, plain] of cases) {
    seed = 42;
    const report = syntheticReport(accounts, failedShare);
    const renders = [];
    let html = '';
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      html = plain
        ? plainTable(report)
        : renderReportHtml(report, {
            command: 'cs-aws whoami --report run.html',
            configFile: 'prod.yaml',
            startedAt: new Date(),
            timing,
          });
      renders.push(performance.now() - t0);
    }
    const file = join(dir, `report-${accounts}-${failedShare}${plain ? '-plain' : ''}.html`);
    writeFileSync(file, html);
    const loads = [];
    const paints = [];
    const walls = [];
    const tasks = [];
    const cpus = [];
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const cpu0 = chromiumCpuMs(profile);
      const t0 = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      walls.push(performance.now() - t0);
      cpus.push(chromiumCpuMs(profile) - cpu0);
      const [load, paint] = await page.evaluate(async () => {
        // The first contentful paint is recorded after the load event on a busy machine: wait for it.
        for (
          let i = 0;
          i < 100 && performance.getEntriesByName('first-contentful-paint').length === 0;
          i++
        ) {
          await new Promise((r) => requestAnimationFrame(r));
        }
        return [
          performance.getEntriesByType('navigation')[0].loadEventEnd,
          performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        ];
      });
      loads.push(load);
      paints.push(paint);
      // The renderer's main-thread task time (parse, style, layout, paint), less sensitive than the
      // wall clock to other processes on a busy machine.
      const { metrics } = await cdp.send('Performance.getMetrics');
      tasks.push(1000 * metrics.find((m) => m.name === 'TaskDuration').value);
      await page.close();
    }
    rows.push([
      label,
      `${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB`,
      `${median(renders).toFixed(0)} ms`,
      `${median(loads).toFixed(0)} ms`,
      `${median(paints).toFixed(0)} ms`,
      `${median(walls).toFixed(0)} ms`,
      `${median(tasks).toFixed(0)} ms`,
      `${median(cpus).toFixed(0)} ms`,
    ]);
  }
} finally {
  await context.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}

console.log(
  `\nHTML report of synthetic fan-outs (median of ${runs}; Chromium ${context.browser()?.version() ?? ''}, Node ${process.version})\n`,
);
console.log(`load average ${loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\n`);
console.log(
  '| report | file size | render (Node) | load event | first contentful paint | goto → load (wall) | renderer task time | Chromium CPU time to load |',
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

// How a fan-out's cost grows with its size: 250, 1,000 and 4,000 accounts × 4 regions on aws-local
// (bench/fanout's server: one role per member account, assumed from the management account), side
// by side in one run.
//
//   node bench/scale/run.mjs [--accounts 250,1000,4000] [--regions 4] [--concurrency 64] [--latency 10]
//
// Each size runs in two fresh processes (node --expose-gc), one per way:
//   stream: `set.stream()` with every result dropped as it is read, then a second pass over the
//           same set;
//   map:    `set.map()`, whose report (one result per target) is held until the pass ends, then a
//           second pass.
// For each pass: wall time, CPU (user + system) per target, peak RSS of the process during the pass
// (sampled every 20 ms), and the heap retained after a forced GC (twice) once the pass and its
// results are gone, as the growth over the heap measured after building the set, per target: what
// the set keeps of a pass (RegionalAccounts, clients, credentials), not what the caller keeps.
import { execFileSync, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '250,1000,4000' },
    regions: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '64' },
    latency: { type: 'string', default: '10' },
    way: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

if (values.way === undefined) {
  const self = fileURLToPath(import.meta.url);
  const sizes = values.accounts.split(',').map(Number);
  const rows = [];
  for (const accounts of sizes) {
    for (const way of ['stream', 'map']) {
      const out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          self,
          '--accounts',
          String(accounts),
          '--regions',
          values.regions,
          '--concurrency',
          values.concurrency,
          '--latency',
          values.latency,
          '--way',
          way,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
      );
      rows.push(JSON.parse(out.trim().split('\n').at(-1)));
    }
  }
  if (values.json) {
    console.log(JSON.stringify(rows));
    process.exit(0);
  }
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
  const first = rows[0];
  console.log(
    `\n### Fan-out scale: accounts × ${first.regions} regions, GetCallerIdentity, ${first.latency} ms latency, concurrency ${first.concurrency}, Node ${process.version}\n`,
  );
  console.log(
    '| targets | way | pass | wall | × ideal | CPU per target | peak RSS | heap retained per target | 2nd / 1st wall | 2nd / 1st CPU |',
  );
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    for (const [i, p] of r.passes.entries()) {
      const ratio = (key) => (i === 0 ? '' : (p[key] / r.passes[0][key]).toFixed(2));
      console.log(
        `| ${r.targets.toLocaleString('en')} | ${r.way} | ${i + 1} | ${p.wall.toFixed(0)} ms | ${(p.wall / r.ideal).toFixed(2)} | ${(p.cpu / r.targets).toFixed(3)} ms | ${mb(p.rss)} | ${kb(p.retained / r.targets)} | ${ratio('wall')} | ${ratio('cpu')} |`,
      );
    }
  }
  const failures = rows.flatMap((r) => r.passes.filter((p) => p.ok !== r.targets));
  if (failures.length > 0) console.log(`\n${failures.length} pass(es) had failed targets`);
  process.exit(0);
}

// --- one size, one way, in this process ------------------------------------------------------
const { regionalAccountSetFromOrganization } = await import('@cs/regional');
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const accounts = Number(values.accounts);
const concurrency = Number(values.concurrency);
const latency = Number(values.latency);
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
].slice(0, Number(values.regions));
const targets = accounts * REGIONS.length;

const child = fork(
  fileURLToPath(new URL('../fanout/server.mjs', import.meta.url)),
  [String(accounts)],
  { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
);
const { url, key, management } = await new Promise((resolve) =>
  child.once('message', (m) => resolve(m)),
);
let nextId = 1;
const ask = (cmd, extra = {}) =>
  new Promise((resolve) => {
    const id = nextId++;
    const onMessage = (m) => {
      if (m.id !== id) return;
      child.off('message', onMessage);
      resolve(m.value);
    };
    child.on('message', onMessage);
    child.send({ id, cmd, ...extra });
  });

const gc = async () => {
  // Twice, with a turn of the event loop between, so that finalizers and weak maps settle.
  globalThis.gc();
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const mgmt = {
  SessionParameters: {
    aws_access_key_id: key.accessKeyId,
    aws_secret_access_key: key.secretAccessKey,
    region_name: 'us-east-1',
    EndpointUrl: url,
  },
};
const set = await regionalAccountSetFromOrganization({
  RegionalAccounts: {
    Organization: {
      Account: mgmt,
      RoleName: 'BenchRole',
      RateLimit: { max_count: 0 },
      exclude: [management],
    },
    Filter: { Partitions: { aws: { Regions: { include: REGIONS } } } },
  },
});
const fn = (ra, signal) => ra.send(STSClient, new GetCallerIdentityCommand({}), { signal });
const options = { concurrency, aliases: false };

// Warm-up: the SDK's lazily loaded modules, on a set of its own (one target).
{
  const { RegionalAccounts, RegionalAccountSet } = await import('@cs/regional');
  const warm = new RegionalAccountSet(
    new RegionalAccounts({
      Account: mgmt,
      Filter: { Partitions: { aws: { Regions: { include: ['sa-east-1'] } } } },
    }),
  );
  await warm.map(fn);
}
await ask('latency', { rule: { ms: latency, service: 'sts', operation: 'GetCallerIdentity' } });
const heapBefore = await gc();

const pass = async () => {
  await ask('reset');
  peakRss = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let ok = 0;
  if (values.way === 'stream') {
    for await (const result of set.stream(fn, options)) if (result.ok) ok += 1;
  } else {
    const report = await set.map(fn, options);
    ok = report.summary.succeeded;
  }
  const wall = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu0);
  const rss = Math.max(peakRss, process.memoryUsage().rss);
  const retained = (await gc()) - heapBefore;
  const stats = await ask('stats');
  return {
    wall,
    cpu: (user + system) / 1000,
    rss,
    retained,
    ok,
    assumeRole: stats.byOperation['sts:AssumeRole'] ?? 0,
  };
};

const passes = [await pass(), await pass()];
clearInterval(sampler);
await ask('close');
console.log(
  JSON.stringify({
    way: values.way,
    accounts,
    regions: REGIONS.length,
    targets,
    latency,
    concurrency,
    ideal: (targets * latency) / concurrency,
    heapBefore,
    passes,
  }),
);

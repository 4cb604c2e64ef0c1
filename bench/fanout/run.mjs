// Fan-out over many accounts × regions on aws-local, side by side with the naive way.
//
//   node bench/fanout/run.mjs [--accounts 500] [--regions 4] [--concurrency 64] [--latency 20]
//
// aws-local runs in a child process (server.mjs). Latency is injected on the measured call
// (sts:GetCallerIdentity), so that the ideal is targets × latency / concurrency.
//   cs-aws: regionalAccountSetFromOrganization (role assumed in each member through accountFactory,
//           one shared credential per account), set.map(GetCallerIdentity), concurrency 64.
//   naive:  an STSClient with fromTemporaryCredentials per target, Promise.all in batches of 64.
//   floor:  what the SDK itself costs on this machine: the same number of calls through ONE warm
//           STSClient (no role, no client per target, no limiter), 64 at a time.
// Then the throttling runs (same latency): the server limits one account-region to 50 requests/s;
// the client limits itself to 50/s, then (adaptive mode) to 200/s.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  RegionalAccounts,
  RegionalAccountSet,
  regionalAccountSetFromOrganization,
} from '@cs/regional';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '500' },
    regions: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '64' },
    latency: { type: 'string', default: '20' },
    'throttle-seconds': { type: 'string', default: '30' },
    way: { type: 'string' },
    // Writes a CPU profile of the timed part of a way (cs-aws or naive) to this file.
    profile: { type: 'string' },
  },
});
const way = values.way;
if (way === undefined) {
  // The parent: each way runs in a fresh process of its own (cold start and peak RSS of its own),
  // then the throttling runs.
  const { execFileSync } = await import('node:child_process');
  const self = fileURLToPath(import.meta.url);
  const args = process.argv.slice(2);
  const run = (w) =>
    execFileSync(process.execPath, [self, ...args, '--way', w], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  const fanout = JSON.parse(run('cs-aws').trim().split('\n').at(-1));
  const naive = JSON.parse(run('naive').trim().split('\n').at(-1));
  const floor = JSON.parse(run('floor').trim().split('\n').at(-1));
  const throttling = JSON.parse(run('throttling').trim().split('\n').at(-1));
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `\n### Fan-out: ${fanout.accounts} accounts × ${fanout.regions} regions = ${fanout.targets} targets, GetCallerIdentity, ${fanout.latency} ms latency, concurrency ${fanout.concurrency}\n`,
  );
  console.log(
    `| way | wall | × ideal (${fanout.ideal.toFixed(0)} ms) | CPU | succeeded | AssumeRole calls | connections | peak RSS |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [fanout, naive, floor]) {
    console.log(
      `| ${r.way} | ${r.wall.toFixed(0)} ms | ${(r.wall / r.ideal).toFixed(2)} | ${r.cpu.toFixed(0)} ms | ${r.ok} / ${r.targets} | ${r.assumeRole} | ${r.connections} | ${mb(r.rss)} |`,
    );
  }
  console.log(
    `\ncs-aws / naive wall time: ${(fanout.wall / naive.wall).toFixed(2)}; cs-aws / floor: ${(fanout.wall / floor.wall).toFixed(2)}; organisation listing (not timed): ${fanout.listMs.toFixed(0)} ms`,
  );
  console.log(
    `\n### Throttling: server limit 50 requests/s on one account-region, ${throttling.seconds} s, 16 callers, ${fanout.latency} ms latency\n`,
  );
  console.log(
    '| client | achieved | % of server limit | requests | throttled answers | in the first second | % throttled | calls failed |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of throttling.rows) {
    console.log(
      `| ${r.label} | ${r.rate.toFixed(1)}/s | ${((r.rate / 50) * 100).toFixed(1)} % | ${r.requests} | ${r.throttled} | ${r.throttledFirstSecond} | ${((r.throttled / Math.max(1, r.requests)) * 100).toFixed(2)} % | ${r.failed} |`,
    );
  }
  process.exit(0);
}
const accounts = Number(values.accounts);
const concurrency = Number(values.concurrency);
const latency = Number(values.latency);
const throttleSeconds = Number(values['throttle-seconds']);
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
].slice(0, Number(values.regions));

const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [String(accounts)], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
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
const targets = accounts * REGIONS.length;
const ideal = (targets * latency) / concurrency;

// --- warm-up: load the SDK's lazily loaded modules for both ways before anything is timed -------
{
  const warm = new RegionalAccountSet(
    new RegionalAccounts({
      Account: mgmt,
      Filter: { Partitions: { aws: { Regions: { include: ['sa-east-1'] } } } },
    }),
  );
  await warm.map((ra) => ra.send(STSClient, new GetCallerIdentityCommand({})));
  await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const client = new STSClient({
        region: 'sa-east-1',
        endpoint: url,
        credentials: fromTemporaryCredentials({
          params: {
            RoleArn: `arn:aws:iam::${200000000000 + i}:role/BenchRole`,
            RoleSessionName: 'warm',
          },
          masterCredentials: key,
          clientConfig: { region: 'sa-east-1', endpoint: url },
        }),
      });
      await client.send(new GetCallerIdentityCommand({}));
      client.destroy();
    }),
  );
  const client = new STSClient({
    region: 'sa-east-1',
    endpoint: url,
    credentials: fromTemporaryCredentials({
      params: { RoleArn: `arn:aws:iam::200000000000:role/BenchRole`, RoleSessionName: 'warm' },
      masterCredentials: key,
      clientConfig: { region: 'sa-east-1', endpoint: url },
    }),
  });
  await client.send(new GetCallerIdentityCommand({}));
  client.destroy();
}

/** CPU time (user + system) of this process since `since`, in ms. */
const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

// --- profiling (--profile FILE) ----------------------------------------------------------------
const startProfile = async () => {
  if (values.profile === undefined) return async () => {};
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  return async () => {
    const { profile } = await inspector.post('Profiler.stop');
    await writeFile(values.profile, JSON.stringify(profile));
    inspector.disconnect();
  };
};

/**
 * Times `work` (which resolves to the number of calls that succeeded) on a freshly reset server
 * with the latency injected, and returns the way's row: wall and CPU time, AssumeRole calls and
 * connections the server saw, peak RSS.
 */
const measure = async (label, work) => {
  await ask('reset');
  await ask('latency', { rule: { ms: latency, service: 'sts', operation: 'GetCallerIdentity' } });
  peakRss = process.memoryUsage().rss;
  const stopProfile = await startProfile();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const ok = await work();
  const wall = performance.now() - start;
  const cpu = cpuMs(cpu0);
  await stopProfile();
  const stats = await ask('stats');
  return {
    way: label,
    wall,
    ok,
    assumeRole: stats.byOperation['sts:AssumeRole'] ?? 0,
    connections: stats.connections,
    rss: peakRss,
    cpu,
  };
};

// --- cs-aws ---------------------------------------------------------------------------------
const runCsAws = async () => {
  const listStart = performance.now();
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
  const listMs = performance.now() - listStart;
  const row = await measure('cs-aws: set.map, role assumed through accountFactory', async () => {
    const report = await set.map(
      (ra, signal) => ra.send(STSClient, new GetCallerIdentityCommand({}), { signal }),
      { concurrency, aliases: false },
    );
    if (report.summary.failed > 0) {
      console.error(
        report
          .failures()
          .slice(0, 3)
          .map((f) => String(f.error)),
      );
    }
    return report.summary.succeeded;
  });
  return { ...row, listMs };
};

// --- naive ----------------------------------------------------------------------------------
const runNaive = () =>
  measure('naive: STSClient + fromTemporaryCredentials per target, Promise.all × 64', async () => {
    const all = [];
    for (let i = 0; i < accounts; i += 1) {
      for (const region of REGIONS) all.push([String(200000000000 + i), region]);
    }
    let ok = 0;
    for (let i = 0; i < all.length; i += concurrency) {
      const outcomes = await Promise.allSettled(
        all.slice(i, i + concurrency).map(async ([id, region]) => {
          const client = new STSClient({
            region,
            endpoint: url,
            credentials: fromTemporaryCredentials({
              params: { RoleArn: `arn:aws:iam::${id}:role/BenchRole`, RoleSessionName: 'naive' },
              masterCredentials: key,
              clientConfig: { region, endpoint: url },
            }),
          });
          try {
            return await client.send(new GetCallerIdentityCommand({}));
          } finally {
            client.destroy();
          }
        }),
      );
      ok += outcomes.filter((o) => o.status === 'fulfilled').length;
    }
    return ok;
  });

// --- floor ----------------------------------------------------------------------------------
const runFloor = async () => {
  // As many sockets as callers (the SDK's default handler has 50 per host, which would cap it).
  const { Agent } = await import('node:http');
  const client = new STSClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: key,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
  });
  // Warm: one whole pass first (JIT, middleware stack, endpoint cache, pooled connections), so
  // that this is the SDK's steady state, the least these calls can cost here.
  for (let round = 0; round < targets / concurrency; round++) {
    await Promise.all(
      Array.from({ length: concurrency }, () => client.send(new GetCallerIdentityCommand({}))),
    );
  }
  const row = await measure(
    'floor: the same calls through one warm STSClient (no role, no client per target)',
    async () => {
      let next = 0;
      let ok = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < targets) {
            next += 1;
            await client.send(new GetCallerIdentityCommand({}));
            ok += 1;
          }
        }),
      );
      return ok;
    },
  );
  client.destroy();
  return row;
};

// --- throttling -----------------------------------------------------------------------------
const throttleRun = async (label, spec) => {
  const region = 'eu-west-1';
  await ask('clear');
  await ask('reset');
  await ask('latency', { rule: { ms: latency, service: 'sts', operation: 'GetCallerIdentity' } });
  await ask('rateLimit', { rule: { requestsPerSecond: 50, account: management, region } });
  const container = new RegionalAccounts({
    ...spec,
    Filter: { Partitions: { aws: { Regions: { include: [region] } } } },
  });
  const ra = container.getOrThrow(region);
  const set = new RegionalAccountSet(container);
  const until = performance.now() + throttleSeconds * 1000;
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  let throttledFirstSecond = 0;
  ra.on('throttled', () => {
    if (performance.now() - start < 1000) throttledFirstSecond += 1;
  });
  // One target with 16 callers inside it: the limits are per account-region.
  await set.map(async () => {
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < until) {
          try {
            await ra.send(STSClient, new GetCallerIdentityCommand({}));
            ok += 1;
          } catch {
            failed += 1;
          }
        }
      }),
    );
  });
  const seconds = (performance.now() - start) / 1000;
  const stats = await ask('stats');
  return {
    label,
    rate: ok / seconds,
    throttled: stats.throttled,
    throttledFirstSecond,
    requests: stats.requests,
    failed,
  };
};
const runThrottling = async () => ({
  seconds: throttleSeconds,
  rows: [
    await throttleRun('client limit 50/s (blocking)', {
      Account: mgmt,
      RateLimit: { max_count: 50, interval: 1, block: true },
    }),
    await throttleRun('client limit 200/s (blocking), adaptive', {
      Account: mgmt,
      RateLimit: { max_count: 200, interval: 1, block: true },
      Adaptive: true,
    }),
  ],
});

const ways = { 'cs-aws': runCsAws, naive: runNaive, floor: runFloor, throttling: runThrottling };
if (!(way in ways)) throw new Error(`--way must be one of ${Object.keys(ways).join(', ')}`);
const result = await ways[way]();
clearInterval(sampler);
await ask('close');
console.log(
  JSON.stringify({
    ...result,
    accounts,
    regions: REGIONS.length,
    targets,
    latency,
    concurrency,
    ideal,
  }),
);

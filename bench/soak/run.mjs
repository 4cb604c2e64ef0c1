// Soak: many calls through 100 RegionalAccounts (10 accounts × 10 regions) on aws-local, checking
// that memory stays flat, that nothing of ours stays open, and that no rejection goes unhandled.
//
//   node --expose-gc bench/soak/run.mjs [--calls 100000] [--warmup 5000] [--concurrency 64] [--json]
//
// The heap is measured after a forced GC (twice) at the end of the warm-up and at the end of the
// run; "handles" are the sockets, servers and timers process.getActiveResourcesInfo() still lists
// after the RegionalAccounts are destroyed and the server closed. With --json the last line is
// the figures as JSON (the test runs a scaled-down version this way).
import { parseArgs } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startLocalAws } from '@cs/aws-local';
import { regionalAccountFactory } from '@cs/regional';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    warmup: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '64' },
    json: { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);
const warmup = Number(values.warmup);
const concurrency = Number(values.concurrency);
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const ours = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout');

let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled += 1;
});

const handlesBefore = ours().length;
const ACCOUNTS = Array.from({ length: 10 }, (_, i) => String(200000000001 + i));
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
];
const keyOf = (i) => ({
  accessKeyId: `AKIAFIXTURESOAK${String(i).padStart(5, '0')}`,
  secretAccessKey: `SECRETFIXTURE-soak-${i}`,
});
// A small request log: the server's own log must not be what grows.
const aws = await startLocalAws(
  {
    accounts: ACCOUNTS.map((id, i) => ({
      id,
      users: [{ name: 'soak', accessKeys: [keyOf(i)] }],
    })),
  },
  { logLimit: 100 },
);
const targets = ACCOUNTS.flatMap((id, i) =>
  REGIONS.map((region) =>
    regionalAccountFactory({
      RateLimit: { max_count: 10000, interval: 1, block: true },
      Account: {
        SessionParameters: {
          aws_access_key_id: keyOf(i).accessKeyId,
          aws_secret_access_key: keyOf(i).secretAccessKey,
          region_name: region,
          EndpointUrl: aws.url,
        },
      },
      region_name: region,
    }),
  ),
);

/** `count` calls, round robin over the targets, `concurrency` at a time. */
const drive = async (count) => {
  let next = 0;
  let failures = 0;
  const command = () => new GetCallerIdentityCommand({});
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const ra = targets[next % targets.length];
        next += 1;
        try {
          await ra.send(STSClient, command());
        } catch {
          failures += 1;
        }
      }
    }),
  );
  return failures;
};

const started = performance.now();
const warmupFailures = await drive(warmup);
gc();
const heapAfterWarmup = process.memoryUsage().heapUsed;
const runStarted = performance.now();
const cpuBefore = process.cpuUsage();
const failures = await drive(calls);
const cpu = process.cpuUsage(cpuBefore);
const runMs = performance.now() - runStarted;
gc();
const heapAtEnd = process.memoryUsage().heapUsed;
const requests = aws.stats.requests;
for (const ra of targets) ra.destroy();
await aws.close();
await new Promise((resolve) => setTimeout(resolve, 100));
const handlesLeft = ours().length - handlesBefore;

const figures = {
  calls,
  warmup,
  regionalAccounts: targets.length,
  concurrency,
  failures: failures + warmupFailures,
  serverRequests: requests,
  runMs: Math.round(runMs),
  callsPerSecond: Math.round((calls / runMs) * 1000),
  cpuMsPerCall: Number(((cpu.user + cpu.system) / 1000 / calls).toFixed(2)),
  heapAfterWarmupMB: Number((heapAfterWarmup / 1048576).toFixed(1)),
  heapAtEndMB: Number((heapAtEnd / 1048576).toFixed(1)),
  heapGrowthPercent: Number((((heapAtEnd - heapAfterWarmup) / heapAfterWarmup) * 100).toFixed(1)),
  handlesLeft,
  unhandledRejections: unhandled,
  totalMs: Math.round(performance.now() - started),
};
console.log(
  `\n### Soak: ${calls} GetCallerIdentity calls through ${targets.length} RegionalAccounts on aws-local, concurrency ${concurrency}\n`,
);
console.log(
  '| calls | failures | calls/s | client+server CPU ms/call | heap after warm-up | heap at end | growth | handles left | unhandled rejections |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
console.log(
  `| ${calls} | ${figures.failures} | ${figures.callsPerSecond} | ${figures.cpuMsPerCall} | ${figures.heapAfterWarmupMB} MB | ${figures.heapAtEndMB} MB | ${figures.heapGrowthPercent} % | ${handlesLeft} | ${unhandled} |`,
);
if (values.json) console.log(JSON.stringify(figures));

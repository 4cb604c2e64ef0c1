// Signed GetCallerIdentity requests per second that @cs/aws-local serves, with the load from
// another process over keep-alive connections, and the server's CPU time per request
// (process.cpuUsage of this process, which runs only the server while the child loads it).
//
//   node bench/aws-local/run.mjs [--seconds 5] [--concurrency 64]
//
// Two load generators: `replay` sends one request pre-signed with SigV4 over and over (the server
// still verifies every signature), so the server is the limit; `sdk` is the real STSClient, whose
// own signing and middleware cost caps the rate it can generate.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalAws } from '@cs/aws-local';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const key = { accessKeyId: 'AKIAFIXTUREBENCH0001', secretAccessKey: 'fixture-secret-bench' };

const aws = await startLocalAws({
  accounts: [{ id: '111111111111', users: [{ name: 'bench', accessKeys: [key] }] }],
});
// The floor: a bare node:http server answering the same XML without parsing or verifying anything.
const fixedBody = Buffer.from(
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/bench</Arn><UserId>AIDAEXAMPLE</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
);
let bareRequests = 0;
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    bareRequests++;
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': fixedBody.length });
    res.end(fixedBody);
  });
});
await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${bare.address().port}`;

const loadScript = fileURLToPath(new URL('./load.mjs', import.meta.url));

function run(mode, url = aws.url, served = () => aws.stats.requests) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        loadScript,
        url,
        mode,
        String(concurrency),
        String(seconds),
        key.accessKeyId,
        key.secretAccessKey,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let cpuAtStart;
    let requestsAtStart;
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line === 'go') {
          cpuAtStart = process.cpuUsage();
          requestsAtStart = served();
        } else if (line.startsWith('done ')) {
          const cpu = process.cpuUsage(cpuAtStart);
          const count = served() - requestsAtStart;
          const load = JSON.parse(line.slice(5));
          resolve({ mode, served: count, cpuMs: (cpu.user + cpu.system) / 1000, load });
        }
      }
    });
    child.on('error', reject);
    child.on(
      'exit',
      (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)),
    );
  });
}

const LABELS = {
  bare: 'pre-signed replay -> bare node:http (floor)',
  replay: 'pre-signed replay (node:http client)',
  sdk: 'STSClient (SDK v3)',
};
const rows = [];
for (const mode of ['bare', 'replay', 'sdk']) {
  const r = mode === 'bare' ? await run('replay', bareUrl, () => bareRequests) : await run(mode);
  const perSecond = r.load.requests / (r.load.elapsedMs / 1000);
  rows.push(
    `| ${LABELS[mode]} | ${concurrency} | ${r.load.requests} | ${r.load.failures} | ${Math.round(perSecond)} | ${(r.cpuMs / r.served).toFixed(3)} | ${Math.round((r.cpuMs / r.load.elapsedMs) * 100)}% | ${(r.load.cpuMs / r.load.requests).toFixed(3)} | ${Math.round((r.load.cpuMs / r.load.elapsedMs) * 100)}% |`,
  );
}
await aws.close();
await new Promise((resolve) => {
  bare.close(resolve);
  bare.closeAllConnections();
});

console.log(
  `@cs/aws-local, signed GetCallerIdentity, ${seconds} s per row after 1 s warm-up, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}\n`,
);
console.log(
  '| load generator | concurrency | requests | failures | req/s | server CPU ms/req | server CPU | generator CPU ms/req | generator CPU |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);

// Load generator for run.mjs, in its own process: signed GetCallerIdentity requests against URL,
// CONCURRENCY in flight, over keep-alive connections. Prints `go` after a warm-up, then
// `done <json>` with its own counts and CPU time.
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const [url, mode, concurrencyText, secondsText, accessKeyId, secretAccessKey] =
  process.argv.slice(2);
const concurrency = Number(concurrencyText);
const seconds = Number(secondsText);
const target = new URL(url);
const region = 'us-east-1';

/** SigV4 of one form-encoded STS request, done once: the server verifies it on every replay. */
function presign() {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    host: target.host,
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const canonical = `POST\n/\n\n${names.map((n) => `${n}:${headers[n]}\n`).join('')}\n${names.join(';')}\n${createHash('sha256').update(body).digest('hex')}`;
  const scope = `${date}/${region}/sts/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  for (const part of [region, 'sts', 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { headers, body };
}

let sent = 0;
let failed = 0;
let running = true;

function replayLoop() {
  const { headers, body } = presign();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const one = () =>
    new Promise((resolve) => {
      const req = request(
        { host: target.hostname, port: target.port, path: '/', method: 'POST', headers, agent },
        (res) => {
          if (res.statusCode !== 200) failed++;
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (running) {
      await one();
      sent++;
    }
  };
  return { workers: Array.from({ length: concurrency }, worker), close: () => agent.destroy() };
}

function sdkLoop() {
  const client = new STSClient({
    endpoint: url,
    region,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
  });
  const worker = async () => {
    while (running) {
      try {
        await client.send(new GetCallerIdentityCommand({}));
      } catch {
        failed++;
      }
      sent++;
    }
  };
  return { workers: Array.from({ length: concurrency }, worker), close: () => client.destroy() };
}

const loop = mode === 'sdk' ? sdkLoop() : replayLoop();
await new Promise((r) => setTimeout(r, 1000));
const sentAtStart = sent;
const failedAtStart = failed;
const cpuAtStart = process.cpuUsage();
const startedAt = performance.now();
process.stdout.write('go\n');
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsedMs = performance.now() - startedAt;
const cpu = process.cpuUsage(cpuAtStart);
const requests = sent - sentAtStart;
const failures = failed - failedAtStart;
running = false;
await Promise.all(loop.workers);
loop.close();
process.stdout.write(
  `done ${JSON.stringify({ requests, failures, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);

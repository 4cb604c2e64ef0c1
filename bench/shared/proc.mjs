// One process of bench/shared/run.mjs: builds the named limiter on Redis, says "ready", and on
// "go <startEpochMs> <durationMs>" runs `callers` callers that acquire one slot after another until
// the deadline; then prints one JSON line and exits.
//
//   argv[2]: JSON { impl: 'cs' | 'bottleneck' | 'rlf', url, key, callers, maxCount, interval }
import { setMaxListeners } from 'node:events';
import { createInterface } from 'node:readline';

const setup = JSON.parse(process.argv[2]);
const epochNow = () => performance.timeOrigin + performance.now();
const decisionTimes = []; // grant decision times on Redis's clock (cs only)

async function make() {
  const { impl, url, key, maxCount, interval } = setup;
  const { Redis } = await import('ioredis');
  const { hostname, port } = new URL(url);
  if (impl === 'cs') {
    const { RateLimitProperties } = await import('@cs/ratelimit');
    const { RedisRateLimitStore } = await import('@cs/ratelimit-redis');
    const store = new RedisRateLimitStore({
      client: url,
      key,
      onDecision: (e) => {
        if (e.granted && e.time !== undefined) decisionTimes.push(e.time);
      },
    });
    const limit = new RateLimitProperties({ maxCount, interval, block: true, store });
    await store.getLimit(); // connected
    return { acquire: (signal) => limit.acquire({ signal }) };
  }
  if (impl === 'bottleneck') {
    const { default: Bottleneck } = await import('bottleneck');
    const limiter = new Bottleneck({
      id: key,
      datastore: 'ioredis',
      Redis,
      clientOptions: { host: hostname, port: Number(port) },
      clearDatastore: false,
      // N per interval, as bottleneck's README shows it: a reservoir refreshed every interval
      reservoir: maxCount,
      reservoirRefreshAmount: maxCount,
      reservoirRefreshInterval: interval,
    });
    await limiter.ready();
    return { acquire: () => limiter.schedule(() => undefined) };
  }
  if (impl === 'rlf') {
    const { RateLimiterRedis, RateLimiterQueue } = await import('rate-limiter-flexible');
    const client = new Redis(url);
    const limiter = new RateLimiterRedis({
      storeClient: client,
      keyPrefix: key,
      points: maxCount,
      duration: interval / 1000,
    });
    // RateLimiterQueue: the library's way to wait for a point instead of being refused
    const queue = new RateLimiterQueue(limiter, { maxQueueSize: 100_000 });
    await client.ping();
    return { acquire: () => queue.removeTokens(1) };
  }
  throw new Error(`unknown implementation ${impl}`);
}

const limiter = await make();
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
const [, startAt, duration] = (await lines[Symbol.asyncIterator]().next()).value
  .split(' ')
  .map(Number);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - epochNow())));
const deadline = startAt + duration;
const signal = AbortSignal.timeout(Math.max(1, Math.ceil(deadline - epochNow())));
setMaxListeners(1000, signal); // every caller listens to it
const observed = [];
const perCaller = new Array(setup.callers).fill(0);
const caller = async (i) => {
  while (epochNow() < deadline) {
    try {
      await limiter.acquire(signal);
    } catch {
      return;
    }
    const t = epochNow();
    if (t > deadline) return;
    observed.push(t);
    perCaller[i]++;
  }
};
const callers = Array.from({ length: setup.callers }, (_, i) => caller(i));
// Stop at the deadline whatever the libraries still have queued (not every one can cancel a wait).
await Promise.race([
  Promise.all(callers),
  new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - epochNow()) + 50)),
]);
process.stdout.write(
  `${JSON.stringify({ observed, decisions: decisionTimes.filter((t) => t <= deadline), perCaller })}\n`,
  // Exit only once the line is flushed: writes to a pipe are asynchronous, and a large report
  // would otherwise be cut short.
  () => process.exit(0),
);

// One worker thread of bench/shared/run.mjs: attaches to the SharedMemoryRateLimitStore posted by
// the main thread, and on { startAt, duration } runs its callers until the deadline.
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { RateLimitProperties, SharedMemoryRateLimitStore } from '@cs/ratelimit';

const { shared, callers, maxCount, interval } = workerData;
const store = SharedMemoryRateLimitStore.from(shared);
const limit = new RateLimitProperties({ maxCount, interval, block: true, store });
const epochNow = () => performance.timeOrigin + performance.now();

parentPort.once('message', async ({ startAt, duration }) => {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - epochNow())));
  const deadline = startAt + duration;
  const signal = AbortSignal.timeout(Math.max(1, Math.ceil(deadline - epochNow())));
  setMaxListeners(1000, signal); // every caller listens to it
  const observed = [];
  const perCaller = new Array(callers).fill(0);
  await Promise.all(
    Array.from({ length: callers }, async (_, i) => {
      while (epochNow() < deadline) {
        try {
          await limit.acquire({ signal });
        } catch {
          return;
        }
        const t = epochNow();
        if (t > deadline) return;
        observed.push(t);
        perCaller[i]++;
      }
    }),
  );
  parentPort.postMessage({ observed, perCaller });
});
parentPort.postMessage('ready');

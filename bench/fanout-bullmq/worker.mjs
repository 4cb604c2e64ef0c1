// A worker process of bench/fanout-bullmq: `node worker.mjs REDIS_URL CONFIG CONCURRENCY`, forked
// with IPC; answers { cmd: 'cpu' } with its CPU time, stops on { cmd: 'close' }.
import { startWorker } from '@cs/fanout-bullmq';
import { tasks } from './tasks.mjs';

const [url, config, concurrency] = process.argv.slice(2);
// Load the SDK clients now, as the in-process run does before it is timed.
await Promise.all([import('@aws-sdk/client-sts'), import('@aws-sdk/client-ec2')]);
const worker = await startWorker({
  connection: url,
  config,
  tasks,
  concurrency: Number(concurrency),
  loadServiceModule: (name) => import(name),
});
process.on('message', (message) => {
  if (message.cmd === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ id: message.id, value: (user + system) / 1000 });
  } else if (message.cmd === 'close') {
    void worker.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void worker.close().then(() => process.exit(0)));
process.send({ ready: true });

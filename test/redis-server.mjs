// A redis-server for the tests and benchmarks that need a real Redis (@cs/ratelimit-redis,
// @cs/config, @cs/fanout-bullmq, bench/fanout-bullmq): one helper, in the repository's shared test
// folder. Plain JavaScript, so that the benchmarks run it on Node.js as it is; its types are in
// redis-server.d.mts.
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';

/**
 * Where redis-server is: Debian's package puts it on PATH (/usr/bin/redis-server).
 *
 * @returns {string}
 */
export function redisServerPath() {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(
      'redis-server was not found on PATH: the tests of the Redis store and of the queue (@cs/ratelimit-redis, @cs/config, @cs/fanout-bullmq) and bench/fanout-bullmq need a real Redis. Install it with `apt-get install redis-server` (Debian/Ubuntu) and run them again.',
    );
  }
  return path;
}

/**
 * A free TCP port on the loopback interface.
 *
 * @returns {Promise<number>}
 */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once something accepts connections on the port, within `ms`.
 *
 * @param {number} port
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} ms
 * @returns {Promise<void>}
 */
async function waitForPort(port, child, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on ${port} in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The redis-server arguments of a Redis for BullMQ: an append-only file in `dir`, so that a restart
 * keeps the queue, synced on every write (`always`) or every second (`everysec`, as BullMQ
 * recommends for production), and `maxmemory-policy noeviction` (BullMQ's requirement).
 *
 * @param {string} dir
 * @param {'always' | 'everysec'} [fsync]
 * @returns {string[]}
 */
export function queueRedisArgs(dir, fsync = 'always') {
  return [
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    fsync,
    '--maxmemory-policy',
    'noeviction',
  ];
}

/**
 * Starts a redis-server on the loopback interface, without persistence, on `port` (a free one by
 * default), with `extraArgs` (`['--requirepass', pw]`, or `queueRedisArgs(dir)`: a later argument
 * overrides an earlier one), and waits until it accepts connections.
 *
 * @param {number} [port]
 * @param {readonly string[]} [extraArgs]
 * @returns {Promise<import('./redis-server.d.mts').RedisServer>}
 */
export async function startRedisServer(port, extraArgs = []) {
  const bin = redisServerPath();
  const p = port ?? (await freePort());
  const args = [
    '--port',
    String(p),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...extraArgs,
  ];
  /** @type {import('node:child_process').ChildProcess} */
  let child;
  /** @type {Promise<void>} */
  let exited;
  const start = async () => {
    child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk.toString()));
    const c = child;
    exited = new Promise((resolve) => {
      if (c.exitCode !== null) resolve();
      else c.once('exit', () => resolve());
    });
    try {
      await waitForPort(p, child, 10_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`could not start redis-server on port ${p}: ${stderr}`, { cause: error });
    }
  };
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    get pid() {
      return child.pid ?? 0;
    },
    stop,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await stop();
      await start();
    },
  };
}

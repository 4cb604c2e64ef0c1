import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachRun,
  isFanOutQueueError,
  isQueueUnreachableError,
  listRuns,
  startWorker,
  submitRun,
} from '../src/index';

const PASSWORD = 'SECRETFIXTURE-queue-password';
const CONFIG = {
  document: {
    App: {
      RegionalAccountSet: [
        {
          RegionalAccounts: {
            Account: { SessionParameters: { region_name: 'us-east-1' } },
            RateLimit: { max_count: 5, interval: 1, block: true },
          },
        },
      ],
    },
  },
  file: 'cs-aws.yaml',
} as never;

/** A port where nothing listens: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Settles `promise`, or says it still waits after `ms` (the bound of this test, not a sleep). */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'still waiting'> =>
  Promise.race([
    promise,
    new Promise<'still waiting'>((resolve) =>
      setTimeout(() => resolve('still waiting'), ms).unref(),
    ),
  ]);

const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

let silent: Server;
let silentPort: number;
let refusedPort: number;

beforeAll(async () => {
  refusedPort = await closedPort();
  // Accepts connections and never answers: Redis hung, or something else on the port.
  // (It reads what it is sent, and so sees the probe close its connection.)
  silent = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('a queue whose Redis does not answer', () => {
  const calls = (url: string) => ({
    submitRun: () => submitRun({ connection: url, config: CONFIG, task: 'whoami' }),
    attachRun: () => attachRun({ connection: url, id: 'r1' }),
    listRuns: () => listRuns({ connection: url }),
    startWorker: () => startWorker({ connection: url, config: CONFIG, concurrency: 1 }),
  });

  for (const name of ['submitRun', 'attachRun', 'listRuns', 'startWorker'] as const) {
    it(`${name} refuses a port where nothing listens, naming host and port but not the password`, async () => {
      const before = sockets();
      const url = `redis://:${PASSWORD}@127.0.0.1:${refusedPort}`;
      const call = calls(url)[name];
      const outcome = await within(
        call().then(
          () => 'started',
          (e: unknown) => e,
        ),
        10_000,
      );
      expect(isQueueUnreachableError(outcome)).toBe(true);
      expect(isFanOutQueueError(outcome)).toBe(true);
      const error = outcome as Error;
      expect(error.message).toContain(`redis://127.0.0.1:${refusedPort}`);
      expect(error.message).toContain('ECONNREFUSED');
      expect(inspect(error, { showHidden: true, depth: null })).not.toContain(PASSWORD);
      expect(error.cause).toBeUndefined();
      // Nothing left open.
      await new Promise((resolve) => setImmediate(resolve));
      expect(sockets()).toBeLessThanOrEqual(before);
    });
  }

  it('gives up on a server that accepts and never answers, within its bound, leaving nothing open', async () => {
    const before = sockets();
    const outcome = await within(
      calls(`redis://127.0.0.1:${silentPort}`)
        .listRuns()
        .then(
          () => 'listed',
          (e: unknown) => e,
        ),
      15_000,
    );
    expect(isQueueUnreachableError(outcome)).toBe(true);
    expect((outcome as Error).message).toContain(`127.0.0.1:${silentPort}`);
    // The probe's socket is closed, and so the server's side of it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets()).toBeLessThanOrEqual(before);
  }, 20_000);
});

/**
 * Reaching the queue's Redis once, with a bounded wait, before a producer or a worker opens its
 * long-lived connections (which retry for ever, as BullMQ needs): so that a wrong URL or a Redis
 * that is down is an error that says so, not a command that waits without a word.
 */

import { Redis } from 'ioredis';
import { QueueUnreachableError } from '../errors';

/** How long the first connection to the queue's Redis may take. @internal */
export const REACH_TIMEOUT_MS = 5000;

/** The URL as a message may show it: scheme, host, port and database, never the credentials. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return 'the URL given';
  }
}

/** The reason as a word: `ECONNREFUSED`, `ETIMEDOUT`, `WRONGPASS`, `NOAUTH`... */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  const message = error instanceof Error ? error.message : '';
  const word = /^([A-Z][A-Z_]+)\b/.exec(message)?.[1];
  if (word !== undefined) return word;
  return /timed? ?out/i.test(message) ? 'ETIMEDOUT' : 'no answer';
}

/**
 * Connects to `url` once (no retry), sends `PING`, and closes the connection again.
 *
 * @throws QueueUnreachableError when Redis does not answer within `timeoutMs` or refuses the
 *   credentials; its message names the host and port, not the password, and it has no `cause`.
 * @internal
 */
export async function reachRedis(url: string, timeoutMs = REACH_TIMEOUT_MS): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error (ECONNREFUSED...) comes as an event; connect() rejects with a generic one.
  let seen: unknown;
  probe.on('error', (error: unknown) => {
    seen ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await probe.connect();
        await probe.ping();
      })(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    throw new QueueUnreachableError(
      `cannot reach the queue's Redis at ${shownUrl(url)} (${reasonOf(seen ?? error)}) within ${timeoutMs} ms: start redis-server there, or give the URL of the one the workers use (redis://[:password@]host:port)`,
    );
  } finally {
    clearTimeout(timer);
    probe.disconnect();
    // A connection still in its handshake (a server that accepted and never answered) is not
    // closed by disconnect(): close its socket too, so that nothing is left open.
    probe.stream?.destroy();
  }
}

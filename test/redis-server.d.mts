/** A redis-server started by a test or a benchmark: its port and URL, and how to stop, kill or restart it. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** The process id of the redis-server running now. */
  readonly pid: number;
  /** Stops it gracefully (SIGTERM: with persistence on, it writes its data first) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
  /** Stops it and starts it again on the same port, with the same arguments (and data directory). */
  restart(): Promise<void>;
}

/** Where redis-server is: Debian's package puts it on PATH (/usr/bin/redis-server). */
export declare function redisServerPath(): string;

/** A free TCP port on the loopback interface. */
export declare function freePort(): Promise<number>;

/**
 * The redis-server arguments of a Redis for BullMQ: an append-only file in `dir`, so that a restart
 * keeps the queue, synced on every write (`always`, the default) or every second (`everysec`), and
 * `maxmemory-policy noeviction` (BullMQ's requirement).
 */
export declare function queueRedisArgs(dir: string, fsync?: 'always' | 'everysec'): string[];

/**
 * Starts a redis-server on the loopback interface, without persistence, on `port` (a free one by
 * default), with `extraArgs` (`['--requirepass', pw]`, or `queueRedisArgs(dir)`: a later argument
 * overrides an earlier one), and waits until it accepts connections.
 */
export declare function startRedisServer(
  port?: number,
  extraArgs?: readonly string[],
): Promise<RedisServer>;

import type { AwsClient } from './types';

/**
 * A bounded least-recently-used cache of SDK clients: past `maxSize`, the least recently used
 * client is evicted and destroyed (its sockets closed), so that thousands of targets do not hold
 * thousands of idle connections.
 *
 * @example
 * ```ts
 * const cache = new ClientCache(2);
 * const sts = cache.getOrCreate('sts|us-east-1', () => new STSClient({ region: 'us-east-1' }));
 * ```
 * @public
 */
export class ClientCache<C extends AwsClient = AwsClient> {
  readonly #entries = new Map<string, C>();

  /**
   * @param maxSize - How many clients to keep. @defaultValue `64`
   * @throws RangeError when `maxSize` is not a positive integer.
   */
  constructor(readonly maxSize = 64) {
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`ClientCache: maxSize must be a positive integer, got ${maxSize}`);
    }
  }

  /** How many clients are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /** The keys of the cached clients, least recently used first. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /**
   * The client under `key` (marked as most recently used), or `undefined`.
   * @param key - The cache key.
   */
  get(key: string): C | undefined {
    const client = this.#entries.get(key);
    if (client !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, client);
    }
    return client;
  }

  /**
   * Stores `client` under `key`, destroying the client it replaces and evicting the least
   * recently used past `maxSize`.
   * @param key - The cache key.
   * @param client - The client.
   */
  set(key: string, client: C): void {
    const previous = this.#entries.get(key);
    this.#entries.delete(key);
    if (previous !== undefined && previous !== client) previous.destroy();
    this.#entries.set(key, client);
    while (this.#entries.size > this.maxSize) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, C];
      this.#entries.delete(oldestKey);
      oldest.destroy();
    }
  }

  /**
   * The client under `key`, created by `create` when absent.
   * @param key - The cache key.
   * @param create - Builds the client.
   */
  getOrCreate(key: string, create: () => C): C {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const client = create();
    this.set(key, client);
    return client;
  }

  /**
   * Removes and destroys the client under `key`.
   * @param key - The cache key.
   * @returns Whether there was one.
   */
  delete(key: string): boolean {
    const client = this.#entries.get(key);
    if (client === undefined) return false;
    this.#entries.delete(key);
    client.destroy();
    return true;
  }

  /** Destroys every cached client and empties the cache. */
  clear(): void {
    const clients = [...this.#entries.values()];
    this.#entries.clear();
    for (const client of clients) client.destroy();
  }
}

/**
 * The errors of `@cs/ratelimit-redis`. Each has a readonly `name` and a guard that checks `name` as
 * well as `instanceof`, so that two copies of the package (CJS and ESM) agree.
 */
import { RateLimitError } from '@cs/ratelimit';

/**
 * A copy of a client's error with only its `name`, `message` and `code`: an ioredis error carries
 * the command it failed on (`command.args`, which for `AUTH` is the password) and, for a cluster,
 * the errors of other nodes; none of that may be reachable from an error of this package.
 */
function copyOfCause(cause: unknown): Error {
  const original = cause instanceof Error ? cause : undefined;
  const copy = new Error(
    original ? String(original.message) : `a non-Error value of type ${typeof cause}`,
  );
  const name = original ? String(original.name) : 'Error';
  if (name !== 'Error') {
    Object.defineProperty(copy, 'name', { value: name, configurable: true, writable: true });
  }
  const code = (original as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' || typeof code === 'number') {
    Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  }
  // The stack says where the copy was made, not the message again with the client's frames.
  copy.stack = `${name}: ${copy.message}`;
  return copy;
}

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The Redis store could not decide an acquisition: Redis was unreachable, did not answer within
 * `timeoutMs`, refused the script, or the store was closed. The acquisition was refused, never
 * silently granted. The error of the Redis client, if any, is the `cause`, as a copy with only its
 * `name`, `message` (the password of the connection removed) and `code`: never the client's error
 * itself, whose `command.args` can hold the password. A subclass of @cs/ratelimit's
 * `RateLimitError`, so `isRateLimitError` from `@cs/ratelimit` also recognises it.
 *
 * @example
 * ```ts
 * try {
 *   await limit.acquire();
 * } catch (e) {
 *   if (isRateLimitStoreError(e)) console.warn(`rate-limit store ${e.key} down: ${e.message}`);
 * }
 * ```
 * @public
 */
export class RateLimitStoreError extends RateLimitError {
  override readonly name = 'RateLimitStoreError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['RateLimitError', 'RateLimitStoreError'];
  /**
   * @param message - what went wrong, where, and what to do
   * @param key - the Redis key of the limit
   * @param cause - the error of the Redis client, if any; kept as a copy with only `name`,
   *   `message` and `code`
   */
  constructor(
    message: string,
    readonly key: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause: copyOfCause(cause) });
  }
}

/**
 * Two stores name one Redis key with different limits: this store asks for `maxCount` per
 * `interval`, while another store (in this process or another) has used the key with
 * `keyMaxCount` per `keyInterval` within that interval. One key is one limit: the acquisition was
 * refused (nothing was recorded), rather than letting the larger limit starve the smaller. Not a
 * {@link RateLimitStoreError}: Redis answered, and the fallback limit does not apply.
 *
 * Give every process the same `maxCount` and `interval`, use another key for another limit, or set
 * one limit for every process with {@link RedisRateLimitStore.setLimit} (which replaces each
 * caller's values, so that they can no longer conflict).
 *
 * @example
 * ```ts
 * try {
 *   await limit.acquire();
 * } catch (e) {
 *   if (isRateLimitKeyConflictError(e)) console.error(`${e.key}: ${e.keyMaxCount}/${e.keyInterval} ms in use`);
 * }
 * ```
 * @public
 */
export class RateLimitKeyConflictError extends RateLimitError {
  override readonly name = 'RateLimitKeyConflictError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['RateLimitError', 'RateLimitKeyConflictError'];
  /**
   * @param key - the Redis key of the limit
   * @param maxCount - the `maxCount` this store asked for
   * @param interval - the `interval` (ms) this store asked for
   * @param keyMaxCount - the `maxCount` in use on the key
   * @param keyInterval - the `interval` (ms) in use on the key
   */
  constructor(
    readonly key: string,
    readonly maxCount: number,
    readonly interval: number,
    readonly keyMaxCount: number,
    readonly keyInterval: number,
  ) {
    super(
      `Redis rate-limit store "${key}": this store asks for ${maxCount} per ${interval} ms, but the key is in use with ${keyMaxCount} per ${keyInterval} ms by another store; the acquisition was refused. One key is one limit: give every process the same maxCount and interval, use another key for another limit, or set one limit for every process with store.setLimit()`,
    );
  }
}

/**
 * Whether `e` is a {@link RateLimitStoreError}. Checks `name` too, so that two copies of the package
 * (CJS and ESM) agree.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRateLimitStoreError(e)) alertOps(e.key);
 * ```
 * @public
 */
export const isRateLimitStoreError = (e: unknown): e is RateLimitStoreError =>
  isErrorOf(e, ['RateLimitStoreError']);

/**
 * Whether `e` is a {@link RateLimitKeyConflictError}. Checks `name` too.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRateLimitKeyConflictError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isRateLimitKeyConflictError = (e: unknown): e is RateLimitKeyConflictError =>
  isErrorOf(e, ['RateLimitKeyConflictError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

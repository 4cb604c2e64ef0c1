/**
 * The errors of `@cs/fanout-bullmq`. Each class lists its name and its bases' under cs-aws's error
 * brand (CONTRIBUTING.md, "Errors"), and each guard reads it, so that every copy of the package
 * (CJS and ESM, two versions) agrees.
 */

const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The base class of every error of this package.
 *
 * @example
 * ```ts
 * try { await attachRun({ connection, id }); } catch (e) { if (isFanOutQueueError(e)) console.error(e.message); }
 * ```
 * @public
 */
export class FanOutQueueError extends Error {
  override readonly name: string = 'FanOutQueueError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['FanOutQueueError'];
}

/**
 * A worker refused a job: its own configuration differs from the producer's (another section, or
 * the same section resolving to another structure). Nothing ran; the target is reported `failed`
 * with this error's message.
 *
 * @example
 * ```ts
 * if (isConfigurationMismatchError(e)) console.error('start the workers with the producer\'s configuration');
 * ```
 * @public
 */
export class ConfigurationMismatchError extends FanOutQueueError {
  override readonly name = 'ConfigurationMismatchError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'FanOutQueueError',
    'ConfigurationMismatchError',
  ];
}

/**
 * A task name that no registry entry matches (on the producer, or on a worker that was started
 * without the producer's task module).
 *
 * @example
 * ```ts
 * if (isUnknownTaskError(e)) console.error(e.message);
 * ```
 * @public
 */
export class UnknownTaskError extends FanOutQueueError {
  override readonly name = 'UnknownTaskError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'FanOutQueueError',
    'UnknownTaskError',
  ];
}

/**
 * The queue's Redis did not answer: nothing listens at the URL's host and port, the connection
 * timed out, or Redis refused the URL's credentials. Raised before anything is submitted or
 * started. The message names the host and port, never the URL's password.
 *
 * @example
 * ```ts
 * if (isQueueUnreachableError(e)) console.error(e.message); // start redis-server, or fix the URL
 * ```
 * @public
 */
export class QueueUnreachableError extends FanOutQueueError {
  override readonly name = 'QueueUnreachableError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'FanOutQueueError',
    'QueueUnreachableError',
  ];
}

/**
 * A run id that Redis does not know: mistyped, finished and expired, or abandoned longer than its
 * time to live.
 *
 * @example
 * ```ts
 * if (isRunNotFoundError(e)) console.error(`no run ${e.id}`);
 * ```
 * @public
 */
export class RunNotFoundError extends FanOutQueueError {
  override readonly name = 'RunNotFoundError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'FanOutQueueError',
    'RunNotFoundError',
  ];
  /**
   * @param id - the run id asked for
   */
  constructor(readonly id: string) {
    super(
      `no run ${JSON.stringify(id)} in Redis: it never existed, or it finished or was abandoned and expired; list the runs with \`cs-aws runs list\``,
    );
  }
}

/**
 * A configuration that a queued fan-out cannot take: an entry with `Organization` or with
 * `Filter.Discover` (their targets are only known by asking AWS), or options out of bounds.
 *
 * @example
 * ```ts
 * if (isQueueUsageError(e)) console.error(e.message);
 * ```
 * @public
 */
export class QueueUsageError extends FanOutQueueError {
  override readonly name = 'QueueUsageError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'FanOutQueueError',
    'QueueUsageError',
  ];
}

/**
 * The failure of a target as a worker reported it: the original error stayed in the worker's
 * process; this one carries its `name`, `message` and AWS or Node `code` (never a cause or a
 * value that could hold a secret).
 *
 * @example
 * ```ts
 * for (const f of report.failures()) if (isRemoteTaskError(f.error)) console.log(f.error.remoteName, f.error.code);
 * ```
 * @public
 */
export class RemoteTaskError extends FanOutQueueError {
  override readonly name = 'RemoteTaskError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'FanOutQueueError',
    'RemoteTaskError',
  ];
  /**
   * @param message - the worker's message for the error
   * @param remoteName - the `name` of the error in the worker
   * @param code - the AWS or Node error code, when there was one
   */
  constructor(
    message: string,
    readonly remoteName: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const named =
  <T extends Error>(...names: string[]) =>
  (e: unknown): e is T =>
    isErrorOf(e, names);

/**
 * Whether `e` is an error of this package.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isFanOutQueueError(e)) process.exitCode = 2;
 * ```
 * @public
 */
export const isFanOutQueueError = named<FanOutQueueError>('FanOutQueueError');

/**
 * Whether `e` is a {@link ConfigurationMismatchError}.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isConfigurationMismatchError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isConfigurationMismatchError = named<ConfigurationMismatchError>(
  'ConfigurationMismatchError',
);

/**
 * Whether `e` is an {@link UnknownTaskError}.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isUnknownTaskError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isUnknownTaskError = named<UnknownTaskError>('UnknownTaskError');

/**
 * Whether `e` is a {@link QueueUnreachableError}.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isQueueUnreachableError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isQueueUnreachableError = named<QueueUnreachableError>('QueueUnreachableError');

/**
 * Whether `e` is a {@link RunNotFoundError}.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRunNotFoundError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isRunNotFoundError = named<RunNotFoundError>('RunNotFoundError');

/**
 * Whether `e` is a {@link QueueUsageError}.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isQueueUsageError(e)) console.error(e.message);
 * ```
 * @public
 */
export const isQueueUsageError = named<QueueUsageError>('QueueUsageError');

/**
 * Whether `e` is a {@link RemoteTaskError}.
 * @param e - any caught value
 * @example
 * ```ts
 * if (isRemoteTaskError(e)) console.error(e.remoteName, e.message);
 * ```
 * @public
 */
export const isRemoteTaskError = named<RemoteTaskError>('RemoteTaskError');

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

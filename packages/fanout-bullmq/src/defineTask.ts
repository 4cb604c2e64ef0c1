/**
 * Tasks: the named functions that a queued fan-out runs on each target.
 */

import type { RegionalAccount } from '@cs/regional';
import { QueueUsageError, UnknownTaskError } from './errors';

/**
 * What a task receives besides its RegionalAccount and input.
 *
 * @public
 */
export interface TaskContext {
  /** Fires when the run is cancelled, the per-target timeout passes, or the worker stops. */
  readonly signal: AbortSignal;
}

/**
 * The work of a task on one target. Its value travels through Redis, so it must be plain JSON
 * data (what `JSON.stringify` keeps is what the producer gets).
 *
 * @public
 */
export type TaskFunction<I = unknown, R = unknown> = (
  ra: RegionalAccount,
  input: I,
  context: TaskContext,
) => R | Promise<R>;

/**
 * A named task, as {@link defineTask} returns it.
 *
 * @public
 */
export interface Task<I = unknown, R = unknown> {
  /** The name that jobs carry: the same on the producer and on every worker. */
  readonly name: string;
  /** The work on one target. */
  readonly fn: TaskFunction<I, R>;
}

/**
 * The tasks a producer or a worker knows, by name. Open: add your own with
 * {@link defineTask} (a plain array of tasks works too).
 *
 * @public
 */
export type TaskRegistry = ReadonlyMap<string, Task>;

const NAME = /^[A-Za-z][\w.:-]{0,99}$/;

/**
 * Defines a task: a name that jobs carry, and the function a worker runs on each target. The
 * producer and every worker load the same module of tasks.
 *
 * @param name - letters, digits, `_ . : -`, starting with a letter, at most 100 characters
 * @param fn - `fn(ra, input, { signal })`, whose value must be plain JSON data
 * @returns the task
 * @throws {@link QueueUsageError} for a name out of that pattern
 * @example
 * ```ts
 * export const countRoles = defineTask('count-roles', async (ra, _input: unknown, { signal }) => {
 *   let roles = 0;
 *   for await (const page of ra.paginate('iam', 'ListRoles', {}, { signal })) roles += (page.Roles as unknown[]).length;
 *   return { roles };
 * });
 * ```
 * @public
 */
export function defineTask<I = unknown, R = unknown>(
  name: string,
  fn: TaskFunction<I, R>,
): Task<I, R> {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new QueueUsageError(
      `task name ${JSON.stringify(name)}: use letters, digits and _ . : - (starting with a letter, at most 100 characters)`,
    );
  }
  if (typeof fn !== 'function') {
    throw new QueueUsageError(`task ${name}: expected a function (ra, input, { signal }) => value`);
  }
  return Object.freeze({ name, fn: fn });
}

/** The input of the built-in `call` and `paginate` tasks. @public */
export interface CallTaskInput {
  /** The SDK's service id: `sts`, `ec2`, `iam`, ... */
  readonly service: string;
  /** `GetCallerIdentity` or `get_caller_identity`. */
  readonly operation: string;
  /** The operation's input. @defaultValue `{}` */
  readonly input?: Record<string, unknown>;
}

const plain = (output: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (typeof output !== 'object' || output === null) return out;
  for (const [key, value] of Object.entries(output)) {
    if (key !== '$metadata' && value !== undefined) out[key] = value;
  }
  return out;
};

/**
 * The built-in `call` task: one operation on each target; resolves to `{ output }` without the
 * SDK's `$metadata`.
 *
 * @example
 * ```ts
 * await submitRun({ connection, config, task: 'call', input: { service: 'sts', operation: 'GetCallerIdentity' } });
 * ```
 * @public
 */
export const callTask: Task<CallTaskInput, { output: Record<string, unknown> }> = defineTask(
  'call',
  async (ra, input: CallTaskInput, { signal }) => ({
    output: plain(
      await ra.callClient(input.service, input.operation, input.input ?? {}, undefined, {
        signal,
      }),
    ),
  }),
);

/**
 * The built-in `paginate` task: every page of one operation on each target; resolves to
 * `{ pages, output }` where `output` concatenates the lists of the pages (pagination tokens
 * dropped, other fields from the last page).
 *
 * @example
 * ```ts
 * await submitRun({ connection, config, task: 'paginate', input: { service: 'iam', operation: 'ListRoles' } });
 * ```
 * @public
 */
export const paginateTask: Task<CallTaskInput, { pages: number; output: Record<string, unknown> }> =
  defineTask('paginate', async (ra, input: CallTaskInput, { signal }) => {
    const merged: Record<string, unknown> = {};
    let pages = 0;
    for await (const page of ra.paginate(input.service, input.operation, input.input ?? {}, {
      signal,
    })) {
      pages += 1;
      for (const [key, value] of Object.entries(plain(page))) {
        if (/^(Next)?(Token|Marker)$|^nextToken$|^IsTruncated$/.test(key)) continue;
        const before = merged[key];
        merged[key] =
          Array.isArray(value) && Array.isArray(before)
            ? [...(before as unknown[]), ...(value as unknown[])]
            : value;
      }
    }
    return { pages, output: merged };
  });

/**
 * The built-in `whoami` task: STS `GetCallerIdentity` on each target; resolves to `{ arn, userId }`.
 *
 * @example
 * ```ts
 * await submitRun({ connection, config, task: 'whoami' });
 * ```
 * @public
 */
export const whoamiTask: Task<unknown, { arn: unknown; userId: unknown }> = defineTask(
  'whoami',
  async (ra, _input: unknown, { signal }) => {
    const output = await ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal });
    return { arn: output.Arn, userId: output.UserId };
  },
);

/** The tasks every producer and worker knows without being told. @public */
export const builtinTasks: readonly Task[] = Object.freeze([
  callTask as Task,
  paginateTask as Task,
  whoamiTask as Task,
]);

/**
 * A registry of the built-in tasks and the given ones (a later task of the same name replaces an
 * earlier one, so a caller may replace a built-in).
 *
 * @param tasks - tasks made with {@link defineTask}, or a registry
 * @returns the registry
 * @example
 * ```ts
 * const tasks = taskRegistry([countRoles]);
 * tasks.has('whoami'); // true
 * ```
 * @public
 */
export function taskRegistry(tasks: Iterable<Task> | TaskRegistry = []): TaskRegistry {
  const list: Iterable<Task> = isRegistry(tasks) ? tasks.values() : tasks;
  const registry = new Map<string, Task>();
  for (const task of [...builtinTasks, ...list]) {
    if (typeof task?.name !== 'string' || typeof task.fn !== 'function') {
      throw new QueueUsageError('tasks: expected tasks made with defineTask(name, fn)');
    }
    registry.set(task.name, task);
  }
  return registry;
}

const isRegistry = (value: unknown): value is TaskRegistry => value instanceof Map;

/** The task of that name, or a clear error. @internal */
export function taskNamed(registry: TaskRegistry, name: string, where: string): Task {
  const task = registry.get(name);
  if (task === undefined) {
    throw new UnknownTaskError(
      `${where}: no task named ${JSON.stringify(name)} (known: ${[...registry.keys()].join(', ')}); define it with defineTask and give it to ${where === 'the producer' ? 'submitRun' : 'startWorker'} with \`tasks\``,
    );
  }
  return task;
}

/**
 * The command-line parts of the queued fan-out: `--queue URL`, `worker`, `runs ACTION [ID]`.
 */

import { UsageError } from '../errors';

/** What `cs-aws runs` does. @public */
export interface RunsCommand {
  /** `list` the runs, `show` one, `resume` collecting one, `cancel` one. */
  readonly action: 'list' | 'show' | 'resume' | 'cancel';
  /** The run's id (all but `list`). */
  readonly id: string | undefined;
}

const ACTIONS = new Set(['list', 'show', 'resume', 'cancel']);

/** The arguments of `runs`. @internal */
export function runsArguments(rest: readonly string[]): RunsCommand {
  const [action, id, extra] = rest;
  if (action === undefined || !ACTIONS.has(action)) {
    throw new UsageError(
      `runs needs an action: cs-aws runs list | show ID | resume ID | cancel ID${action === undefined ? '' : `, not "${action}"`}`,
    );
  }
  if (action === 'list' && id !== undefined) {
    throw new UsageError(`unexpected argument "${id}": runs list takes no run id`);
  }
  if (action !== 'list' && id === undefined) {
    throw new UsageError(
      `runs ${action} needs the run's id: cs-aws runs ${action} ID (see cs-aws runs list)`,
    );
  }
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" after the run id`);
  return { action: action as RunsCommand['action'], id };
}

/** `--queue`, checked: a Redis URL, required by `worker` and `runs`, taken by `call`, `whoami` and `exec`. @internal */
export function queueOption(command: string, queue: string | undefined): string | undefined {
  if (queue === undefined) {
    if (command === 'worker' || command === 'runs') {
      throw new UsageError(`${command} needs the queue's Redis: --queue redis://HOST:6379`);
    }
    return undefined;
  }
  if (!['worker', 'runs', 'call', 'whoami', 'exec'].includes(command)) {
    throw new UsageError(
      `--queue applies to call, whoami, exec, worker and runs only, not ${command}`,
    );
  }
  let protocol = '';
  try {
    protocol = new URL(queue).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new UsageError(
      `--queue must be a redis:// or rediss:// URL, as redis://127.0.0.1:6379, not "${queue}"`,
    );
  }
  return queue;
}

/** `--allow-exec`, checked: `worker` only. @internal */
export function allowExecOption(command: string, allowExec: boolean): boolean {
  if (allowExec && command !== 'worker') {
    throw new UsageError(
      `--allow-exec applies to the worker command only (cs-aws worker --queue URL --allow-exec), not ${command}`,
    );
  }
  return allowExec;
}

/** The options a queued run does not apply (the workers build every target of the section). */
const NOT_ON_THE_QUEUE = [
  'accounts',
  'regions',
  'profile',
  'max-attempts',
  'query',
  'resume',
] as const;

/**
 * Refuses, with `--queue`, the options a queued run does not apply, rather than ignoring them (a
 * run on other targets than asked, or output that is not what was asked).
 *
 * @internal
 */
export function queueOnlyOptions(values: Readonly<Record<string, unknown>>): void {
  const given = NOT_ON_THE_QUEUE.filter(
    (name) => values[name] !== undefined && values[name] !== false,
  );
  if (given.length > 0) {
    throw new UsageError(
      `${given.map((name) => `--${name}`).join(', ')}: not applied to a queued run (the workers run every target of the configuration's section, as its file says); run without --queue, or narrow the section in the configuration`,
    );
  }
}

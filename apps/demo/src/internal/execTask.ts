/**
 * `cs-aws exec --queue`: the `exec` task that workers run (only those started with
 * `--allow-exec`), and how the producer turns its value back into the in-process exec's result.
 */

import { defineTask } from '@cs/fanout-bullmq';
import type { Task } from '@cs/fanout-bullmq';
import { classifyError } from '@cs/regional';
import type { FanOutResult } from '@cs/regional';
import { ProgramFailedError, runProgram, targetEnvironment } from './runProgram';

/** cs-aws's error brand (CONTRIBUTING.md, "Errors"). */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * The most of each output stream (stdout, stderr) that a queued `exec` keeps per target: its
 * result waits in Redis until the producer collects it, so it is smaller than the in-process
 * exec's 1 MiB. Past it the rest is read and dropped, and the value says `truncated: true`.
 *
 * @internal
 */
export const QUEUED_MAX_OUTPUT = 64 * 1024;

/** The most arguments, and characters in all, of a queued program's command line. */
const MAX_ARGS = 1_000;
const MAX_ARGV_CHARS = 64 * 1024;

/** What a queued `exec` job carries: the program and its arguments, nothing else. @internal */
export interface ExecInput {
  readonly argv: readonly string[];
}

/** What a worker returns for a target: the program's status and output, whatever its status. @internal */
export interface ExecValue {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated?: true;
}

/**
 * A worker asked to run a program without `--allow-exec`: nothing ran. The target fails with
 * this error's name and message.
 *
 * @public
 */
export class ExecNotAllowedError extends Error {
  override readonly name = 'ExecNotAllowedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['ExecNotAllowedError'];
}

/** The job's input, checked: a worker runs nothing it cannot read as a command line. */
function argvOf(input: unknown): string[] {
  const argv = (input as Partial<ExecInput> | null)?.argv;
  if (
    !Array.isArray(argv) ||
    argv.length === 0 ||
    argv.length > MAX_ARGS ||
    !argv.every((a): a is string => typeof a === 'string') ||
    argv.reduce((n, a) => n + a.length, 0) > MAX_ARGV_CHARS ||
    argv[0] === ''
  ) {
    throw new TypeError(
      `exec: the job's input is not a command line (expected { argv: [program, ...args] }, at most ${MAX_ARGS} arguments and ${MAX_ARGV_CHARS} characters)`,
    );
  }
  return argv;
}

/**
 * The `exec` task of a worker started with `--allow-exec`: runs the job's program (no shell) with
 * the target's credentials, region and identity in its environment only (built here, from this
 * worker's configuration and environment; nothing of it travels through Redis), and returns its
 * status and output (at most {@link QUEUED_MAX_OUTPUT} of each stream). A non-zero status is a
 * value here; the producer reports it failed, as the in-process exec does.
 *
 * @internal
 */
export const execTask: Task = defineTask(
  'exec',
  async (ra, input: ExecInput, { signal }): Promise<ExecValue> => {
    const argv = argvOf(input);
    let result;
    try {
      result = await runProgram(
        argv,
        await targetEnvironment(ra, process.env),
        signal,
        QUEUED_MAX_OUTPUT,
      );
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT' && e.syscall?.startsWith('spawn') === true) {
        throw new Error(
          `exec: ${argv[0]}: program not found on this worker (give its path, or check the worker's PATH)`,
          { cause: error },
        );
      }
      throw error;
    }
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
      ...(result.truncated ? { truncated: true as const } : {}),
    };
  },
) as Task;

/**
 * The `exec` task of a worker started without `--allow-exec`: refuses every job, runs nothing.
 * Anyone who can write to the queue's Redis could otherwise run programs on every worker.
 *
 * @internal
 */
export const refuseExecTask: Task = defineTask('exec', () => {
  throw new ExecNotAllowedError(
    "this worker does not run programs: start the workers of exec --queue runs with cs-aws worker --allow-exec (only where everyone who can write to the queue's Redis may run programs there)",
  );
});

/** Whether a value is what {@link execTask} returns. */
const isExecValue = (value: unknown): value is ExecValue =>
  typeof value === 'object' &&
  value !== null &&
  'exitCode' in value &&
  typeof (value as ExecValue).stdout === 'string' &&
  typeof (value as ExecValue).stderr === 'string';

/**
 * A queued exec's result as the in-process exec gives it: a program that ended with a non-zero
 * status or a signal is a failed target with a {@link ProgramFailedError} (its output kept); a
 * successful one has the same value (`exitCode: 0`, `stdout`, `stderr`, `truncated`).
 *
 * @internal
 */
export function execResult<T>(
  program: string,
  raw: FanOutResult<unknown, T>,
): FanOutResult<unknown, T> {
  if (!raw.ok || !isExecValue(raw.value)) return raw;
  const value = raw.value;
  const truncated = value.truncated === true;
  if (value.exitCode === 0) {
    return {
      ...raw,
      value: {
        exitCode: 0,
        stdout: value.stdout,
        stderr: value.stderr,
        ...(truncated ? { truncated: true } : {}),
      },
    };
  }
  const error = new ProgramFailedError(program, {
    exitCode: value.exitCode,
    signal: value.signal,
    stdout: value.stdout,
    stderr: value.stderr,
    truncated,
  });
  const { errorClass, code } = classifyError(error);
  const { value: _value, ok: _ok, status: _status, ...base } = raw;
  return {
    ...base,
    ok: false,
    status: 'failed',
    error,
    errorClass,
    errorCode: code ?? error.code,
  };
}

/**
 * `cs-aws exec`: runs a program for one target, with the target's credentials and region in its
 * environment (never on its command line or in a file), and keeps its exit status and output.
 */

import { spawn } from 'node:child_process';
import type { RegionalAccount } from '@cs/regional';

/** cs-aws's error brand (CONTRIBUTING.md, "Errors"). */
const errorNames = Symbol.for('cs-aws.errorNames');

/** What a program left for a target. @internal */
export interface ProgramResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether an output stream passed {@link MAX_OUTPUT} and was cut. */
  readonly truncated: boolean;
}

/** The most of each output stream kept per target (the rest is read and dropped). @internal */
export const MAX_OUTPUT = 1024 * 1024;

/** How long a program has to end after SIGTERM (on timeout or abort) before SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * A program that ended with a non-zero status or a signal: the target's failure. Its message
 * names the program and the status, and the last line of its standard error.
 *
 * @public
 */
export class ProgramFailedError extends Error {
  override readonly name = 'ProgramFailedError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['ProgramFailedError'];
  /** `ExitStatus<N>` or `Signal<NAME>`, as the summary groups failures by code. */
  readonly code: string;
  // Plain fields, not an object: the fan-out keeps only plain fields of a target's error.
  /** The program's exit status (`null` when a signal ended it). */
  readonly exitCode: number | null;
  /** The signal that ended it, if any. */
  readonly signal: string | null;
  /** What it wrote on standard output (at most {@link MAX_OUTPUT}). */
  readonly stdout: string;
  /** What it wrote on standard error (at most {@link MAX_OUTPUT}). */
  readonly stderr: string;

  /**
   * @param program - the program's name
   * @param result - what it left
   */
  constructor(program: string, result: ProgramResult) {
    const lastLine = result.stderr.trimEnd().split('\n').at(-1)?.slice(0, 300) ?? '';
    const how =
      result.signal !== null
        ? `was killed by ${result.signal}`
        : `exited with status ${result.exitCode}`;
    super(`${program} ${how}${lastLine === '' ? '' : `: ${lastLine}`}`);
    this.code = result.signal !== null ? `Signal${result.signal}` : `ExitStatus${result.exitCode}`;
    this.exitCode = result.exitCode;
    this.signal = result.signal;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/** The parent's AWS settings that must not reach a target's program. */
const PARENT_AWS = /^(AWS_|CS_AWS_)/;

/**
 * The environment of a target's program: the parent's, without its own AWS settings, with the
 * target's credentials, region, endpoint and identity.
 *
 * @internal
 */
export async function targetEnvironment(
  ra: RegionalAccount,
  parent: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, string>> {
  const session = ra.account().session();
  const credentials = await session.credentials()();
  const region = ra.region();
  const { endpoint } = session.clientConfig(undefined, region);
  const account = ra.account();
  const accountId = await account.accountId();
  const alias = await account.alias().catch(() => accountId);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !PARENT_AWS.test(key)) env[key] = value;
  }
  env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  if (credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  env.AWS_REGION = region;
  env.AWS_DEFAULT_REGION = region;
  if (endpoint !== undefined) env.AWS_ENDPOINT_URL = String(endpoint);
  env.CS_AWS_ACCOUNT_ID = accountId;
  env.CS_AWS_ACCOUNT_ALIAS = alias;
  return env;
}

/**
 * Runs `argv` with `env`, without a shell, and collects its output (at most `maxOutput` bytes of
 * each stream). On `signal` the program gets SIGTERM, then SIGKILL after a grace period.
 *
 * @param maxOutput - the most of each stream kept (the rest is read and dropped); {@link MAX_OUTPUT} by default
 * @returns what it left, whatever its status
 * @throws the spawn error (`ENOENT` for a program not found)
 * @internal
 */
export function runProgram(
  argv: readonly string[],
  env: Record<string, string>,
  signal: AbortSignal,
  maxOutput: number = MAX_OUTPUT,
): Promise<ProgramResult> {
  const [program, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLength = 0;
    let errLength = 0;
    let truncated = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outLength < maxOutput) out.push(chunk.subarray(0, maxOutput - outLength));
      else truncated = true;
      outLength += chunk.length;
      if (outLength > maxOutput) truncated = true;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errLength < maxOutput) err.push(chunk.subarray(0, maxOutput - errLength));
      else truncated = true;
      errLength += chunk.length;
      if (errLength > maxOutput) truncated = true;
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      reject(error);
    });
    child.on('close', (exitCode, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      resolve({
        exitCode,
        signal: exitSignal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        truncated,
      });
    });
  });
}

/**
 * What the `cs-aws` command runs with.
 */

import type { OutputStream } from './internal/reporters';

/** A stream the command writes to. @public */
export interface CliStream extends OutputStream {
  /** Whether it is a terminal (the progress bar is drawn on a terminal stderr only). */
  readonly isTTY?: boolean;
}

/**
 * What the command runs with: its streams, environment, working directory and cancellation.
 *
 * @public
 */
export interface CliContext {
  /** Results. */
  readonly stdout: CliStream;
  /** Progress, notes and errors. */
  readonly stderr: CliStream;
  /** The environment the configuration template is rendered with. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where `./cs-aws.yaml` is looked for. @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /** Fired on Ctrl-C: running calls are aborted, the results so far printed, status 130. */
  readonly signal?: AbortSignal;
}

/** The default configuration file, looked for in the working directory. @public */
export const DEFAULT_CONFIG_FILE = 'cs-aws.yaml';

/** The exit statuses. @public */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

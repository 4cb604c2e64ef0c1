/**
 * The `cs-aws` command, as a function of its arguments and its streams (the `cli` entry calls it
 * with the process's own).
 */

import packageJson from '../package.json';
import { EXIT } from './CliContext';
import type { CliContext } from './CliContext';
import { isCliError } from './errors';
import { parseCommandLine } from './parseCommandLine';
import type { CommandLine } from './parseCommandLine';
import { COMMAND_HELP, USAGE } from './internal/usage';

/**
 * Runs `cs-aws` with the given arguments. The AWS SDK and the cs-aws packages are loaded only
 * once the command line is known to be good, so that `--help` and usage errors answer at once.
 *
 * @param argv - the arguments (without `node` and the script)
 * @param context - streams, environment, working directory, cancellation
 * @returns the exit status: 0 every target succeeded (skips allowed), 1 some failed, 2 bad
 * configuration or usage, 130 interrupted
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 * ```
 * @public
 */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  let command: CommandLine;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    return reportError(context, error);
  }
  if (command.command === 'help') {
    context.stdout.write(command.helpTopic === undefined ? USAGE : COMMAND_HELP[command.helpTopic]);
    return EXIT.ok;
  }
  if (command.command === 'version') {
    context.stdout.write(`cs-aws ${packageJson.version}\n`);
    return EXIT.ok;
  }
  try {
    // The tour drives the command's steps through execute's functions; execute knows nothing of
    // the tour, so that the two modules do not import each other.
    if (command.command === 'tour') {
      const { runTour } = await import('./internal/tour');
      return await runTour(command, context);
    }
    const { execute } = await import('./internal/execute');
    return await execute(command, context);
  } catch (error) {
    return reportError(context, error);
  }
}

/**
 * Prints an error that ended the command and gives its exit status: a configuration error lists
 * every problem (never a configured value) with status 2; a usage error says what to fix, status
 * 2; an AWS error before any target ran (listing an organisation) is printed as AWS gave it, with
 * the hint, status 1; a queue whose Redis does not answer, status 1; anything else is unexpected (with its stack), status 1.
 *
 * @internal
 */
export function reportError(context: CliContext, error: unknown): number {
  // `@cs/config`'s ConfigError, recognised by name (so that this module need not load it).
  if (error instanceof Error && error.name === 'ConfigError') {
    context.stderr.write(`cs-aws: ${error.message}\n`);
    return EXIT.usage;
  }
  if (isCliError(error)) {
    context.stderr.write(`cs-aws: ${error.message}\n`);
    if (error.name === 'UsageError') context.stderr.write('Run cs-aws --help for the usage.\n');
    return error.exitCode;
  }
  // `@cs/regional`'s AwsClientError before any target ran (listing an organisation's accounts):
  // its message names the call, the account and the region, with the hint.
  if (error instanceof Error && error.name === 'AwsClientError') {
    context.stderr.write(`cs-aws: ${error.message}\n`);
    return EXIT.failed;
  }
  // `@cs/fanout-bullmq`'s QueueUnreachableError (by name, as above): the --queue URL's Redis
  // did not answer; its message names the host and port (never the password) and what to do.
  if (error instanceof Error && error.name === 'QueueUnreachableError') {
    context.stderr.write(`cs-aws: ${error.message}\n`);
    return EXIT.failed;
  }
  context.stderr.write(
    `cs-aws: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failed;
}

/**
 * The command line of `cs-aws`, parsed with `node:util`'s `parseArgs` and checked.
 */

import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { queueOption, runsArguments } from './internal/queueCommandLine';
import type { RunsCommand } from './internal/queueCommandLine';

/** The output formats. @public */
export type OutputFormat = 'table' | 'json' | 'ndjson';

/** The commands. @public */
export type CommandName =
  'targets' | 'whoami' | 'call' | 'tour' | 'help' | 'version' | 'worker' | 'runs';

/**
 * The error classes of `@cs/regional` that `--ignore` accepts by name; anything else given to
 * `--ignore` is an AWS or Node error code.
 *
 * @public
 */
export const ERROR_CLASSES = [
  'access-denied',
  'explicit-deny',
  'region-not-enabled',
  'invalid-credentials',
  'expired-credentials',
  'throttled',
  'not-found',
  'network',
  'aborted',
  'account-not-active',
  'other',
] as const;

/** One `--ignore` rule: an error class, or an error code. @public */
export type IgnoreSpec =
  { readonly class: (typeof ERROR_CLASSES)[number] } | { readonly code: string };

/**
 * A parsed and checked command line.
 *
 * @public
 */
export interface CommandLine {
  /** The command. */
  readonly command: CommandName;
  /** `call`: the SDK service id (`ec2`, `sts`, ...). */
  readonly service: string | undefined;
  /** `call`: the operation (`DescribeInstances` or `describe_instances`). */
  readonly operation: string | undefined;
  /** `call`: the input, from `--input JSON`. @defaultValue `{}` */
  readonly input: Record<string, unknown>;
  /** `call`: read every page. @defaultValue false */
  readonly paginate: boolean;
  /** `--config FILE`. @defaultValue `./cs-aws.yaml` when present, else the embedded sample */
  readonly config: string | undefined;
  /** `--app KEY`: the section holding the RegionalAccountSet. @defaultValue the only one */
  readonly app: string | undefined;
  /** `--concurrency N`. @defaultValue 16 */
  readonly concurrency: number;
  /** `--output`. @defaultValue `'table'` */
  readonly output: OutputFormat;
  /** `--fail-fast`. @defaultValue false */
  readonly failFast: boolean;
  /** `--tolerance N`: a count, or a fraction strictly between 0 and 1. @defaultValue none */
  readonly tolerance: number | undefined;
  /** `--ignore CLASS|CODE` (repeatable, comma-separated). @defaultValue none */
  readonly ignore: readonly IgnoreSpec[];
  /** `--quiet`: no progress bar, no notes on stderr. @defaultValue false */
  readonly quiet: boolean;
  /** `--verbose`: every failure in full, warnings, endpoint counters. @defaultValue false */
  readonly verbose: boolean;
  /** `--queue redis://...`: run on the workers of this BullMQ queue. @defaultValue none (in process) */
  readonly queue?: string | undefined;
  /** `runs`: what to do (`list`, `show ID`, `resume ID`, `cancel ID`). */
  readonly runs?: RunsCommand | undefined;
}

const COMMANDS = new Set<CommandName>([
  'targets',
  'whoami',
  'call',
  'tour',
  'help',
  'version',
  'worker',
  'runs',
]);
const OUTPUTS = new Set<OutputFormat>(['table', 'json', 'ndjson']);
const CLASSES = new Set<string>(ERROR_CLASSES);

const wholeNumber = (name: string, text: string, min: number, max: number): number => {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
};

const tolerance = (text: string): number => {
  const value = /^\d+(\.\d+)?$|^\.\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isFinite(value) || (value >= 1 && !Number.isInteger(value))) {
    throw new UsageError(
      `--tolerance must be a count of failed targets (0, 1, 2, ...) or a fraction of all targets between 0 and 1 (0.1), not "${text}"`,
    );
  }
  return value;
};

const jsonObject = (text: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--input must be a JSON object, as '{"MaxResults": 5}'; it is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--input must be a JSON object, as '{"MaxResults": 5}', not ${text}`);
  }
  return value as Record<string, unknown>;
};

type ErrorClassName = (typeof ERROR_CLASSES)[number];
const isErrorClassName = (text: string): text is ErrorClassName => CLASSES.has(text);

const ignoreRules = (values: readonly string[]): IgnoreSpec[] =>
  values
    .flatMap((v) => v.split(','))
    .map((v): IgnoreSpec => {
      const text = v.trim();
      if (text === '') {
        throw new UsageError(
          `--ignore needs an error class (${ERROR_CLASSES.join(', ')}) or an error code (AuthFailure)`,
        );
      }
      return isErrorClassName(text) ? { class: text } : { code: text };
    });

/**
 * Parses the arguments of `cs-aws` (without `node` and the script).
 *
 * @param argv - the arguments, as `process.argv.slice(2)`
 * @returns the checked command line; `help` when there are no arguments
 * @throws {@link UsageError} for an unknown command or option, a missing argument or a bad value
 * @example
 * ```ts
 * parseCommandLine(['call', 'ec2', 'DescribeInstances', '--paginate', '--output', 'json']);
 * ```
 * @public
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs's own messages are clear ("Unknown option '--x'"); add what to do.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  let command: CommandName;
  if (values.help === true) command = 'help';
  else if (values.version === true) command = 'version';
  else if (first === undefined) command = 'help';
  else if (COMMANDS.has(first as CommandName)) command = first as CommandName;
  else
    throw new UsageError(
      `unknown command "${first}": expected one of targets, whoami, call, tour (see cs-aws --help)`,
    );

  let service: string | undefined;
  let operation: string | undefined;
  let runs: RunsCommand | undefined;
  if (command === 'call') {
    [service, operation] = rest;
    if (service === undefined || operation === undefined) {
      throw new UsageError(
        'call needs a service and an operation: cs-aws call <service> <Operation> [--input JSON] [--paginate], as cs-aws call ec2 DescribeInstances',
      );
    }
    if (!/^[a-z0-9-]+$/.test(service)) {
      throw new UsageError(
        `"${service}" is not an SDK service id: use the lower-case id of @aws-sdk/client-<service>, as ec2, sts, iam, organizations`,
      );
    }
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(operation)) {
      throw new UsageError(
        `"${operation}" is not an operation name: use DescribeInstances or describe_instances`,
      );
    }
    if (rest.length > 2)
      throw new UsageError(`unexpected argument "${rest[2]}" after the operation`);
  } else if (command === 'runs') {
    runs = runsArguments(rest);
  } else if (command !== 'help' && command !== 'version' && rest.length > 0) {
    throw new UsageError(`unexpected argument "${rest[0]}": ${command} takes no arguments`);
  }
  if (
    command === 'tour' &&
    (values.config !== undefined || values.app !== undefined || values.output !== undefined)
  ) {
    throw new UsageError(
      'tour always runs on the embedded endpoint, as tables: it takes --concurrency, --quiet and --verbose only',
    );
  }
  if (command !== 'call' && (values.input !== undefined || values.paginate === true)) {
    throw new UsageError('--input and --paginate apply to the call command only');
  }

  const output = values.output ?? 'table';
  if (!OUTPUTS.has(output as OutputFormat)) {
    throw new UsageError(`--output must be table, json or ndjson, not "${output}"`);
  }
  if (values.quiet === true && values.verbose === true) {
    throw new UsageError('--quiet and --verbose cannot be used together');
  }
  return {
    command,
    service,
    operation,
    input: values.input === undefined ? {} : jsonObject(values.input),
    paginate: values.paginate === true,
    config: values.config,
    app: values.app,
    concurrency:
      values.concurrency === undefined
        ? 16
        : wholeNumber('--concurrency', values.concurrency, 1, 1000),
    output: output as OutputFormat,
    failFast: values['fail-fast'] === true,
    tolerance: values.tolerance === undefined ? undefined : tolerance(values.tolerance),
    ignore: ignoreRules(values.ignore ?? []),
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    queue: queueOption(command, values.queue),
    runs,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      app: { type: 'string', short: 'a' },
      concurrency: { type: 'string', short: 'n' },
      output: { type: 'string', short: 'o' },
      input: { type: 'string', short: 'i' },
      paginate: { type: 'boolean', short: 'p' },
      'fail-fast': { type: 'boolean' },
      tolerance: { type: 'string' },
      ignore: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
      queue: { type: 'string' },
    },
  });
}

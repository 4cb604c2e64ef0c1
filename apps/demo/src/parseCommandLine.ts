/**
 * The command line of `cs-aws`, parsed with `node:util`'s `parseArgs` and checked.
 */

import { parseArgs } from 'node:util';
import { compile } from '@jmespath-community/jmespath';
import { parseDuration } from '@cs/ratelimit';
import { UsageError } from './errors';
import {
  allowExecOption,
  queueOnlyOptions,
  queueOption,
  runsArguments,
} from './internal/queueCommandLine';
import type { RunsCommand } from './internal/queueCommandLine';

/** The output formats. @public */
export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** The commands. @public */
export type CommandName =
  'targets' | 'whoami' | 'call' | 'exec' | 'tour' | 'help' | 'version' | 'worker' | 'runs';

/** The commands that have a help page of their own (`cs-aws help call`). @public */
export const HELP_TOPICS = ['targets', 'whoami', 'call', 'exec', 'tour'] as const;

/** A command with a help page of its own. @public */
export type HelpTopic = (typeof HELP_TOPICS)[number];

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
  /** `help`: the command whose help is asked (`cs-aws help call`, `cs-aws call --help`). */
  readonly helpTopic?: HelpTopic | undefined;
  /** `exec`: the program and its arguments, after `--`. @defaultValue `[]` */
  readonly execArgs: readonly string[];
  /** `--profile NAME`: the AWS profile of the sessions that name no credentials. */
  readonly profile: string | undefined;
  /** `--accounts LIST`: account ids, names, aliases or globs to keep. @defaultValue all */
  readonly accounts: readonly string[];
  /** `--regions LIST`: region names or globs to keep. @defaultValue all */
  readonly regions: readonly string[];
  /** `--timeout DURATION`: a time limit per target, in milliseconds. @defaultValue none */
  readonly timeout: number | undefined;
  /** `--max-attempts N`: the SDK's attempts per call (retries + 1). @defaultValue the configuration's */
  readonly maxAttempts: number | undefined;
  /** `--query EXPR`: a JMESPath expression applied to each target's result. */
  readonly query: string | undefined;
  /** `--output-dir DIR`: one file per target (`ACCOUNT/REGION.json`) and `summary.json`. */
  readonly outputDir: string | undefined;
  /** `--resume`: with `--output-dir`, skip the targets that already succeeded there. */
  readonly resume: boolean;
  /** `targets --resolve`: read account ids and aliases (AWS calls). @defaultValue false */
  readonly resolve: boolean;
  /** `--report FILE`: write a self-contained HTML report of the run (`whoami`, `call`, `exec`). @defaultValue none */
  readonly report?: string | undefined;
  /** `--report-values`: include every target's value in the report, not only small ones. @defaultValue false */
  readonly reportValues?: boolean;
  /** `--queue redis://...`: run on the workers of this BullMQ queue. @defaultValue none (in process) */
  readonly queue?: string | undefined;
  /** `runs`: what to do (`list`, `show ID`, `resume ID`, `cancel ID`). */
  readonly runs?: RunsCommand | undefined;
  /** `worker --allow-exec`: this worker runs the programs of `exec --queue` runs. @defaultValue false */
  readonly allowExec?: boolean;
}

const COMMANDS = new Set<CommandName>([
  'targets',
  'whoami',
  'call',
  'exec',
  'tour',
  'help',
  'version',
  'worker',
  'runs',
]);
const OUTPUTS = new Set<OutputFormat>(['table', 'json', 'ndjson', 'csv']);
const TOPICS = new Set<string>(HELP_TOPICS);
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
      if (isErrorClassName(text)) return { class: text };
      // Error classes are lower-case words joined by hyphens; AWS and Node codes are not
      // (AuthFailure, ECONNRESET). A lower-case word that is no class is a typo, not a code.
      if (/^[a-z]+(-[a-z]+)*$/.test(text)) {
        const near = ERROR_CLASSES.filter((c) => editDistance(c, text) <= 2);
        throw new UsageError(
          `--ignore ${text}: no such error class${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; the classes are ${ERROR_CLASSES.join(', ')}, and an error code is written as AWS or Node gives it (AuthFailure, ECONNRESET)`,
        );
      }
      return { code: text };
    });

/** The Levenshtein distance of two short strings, for "did you mean". */
const editDistance = (a: string, b: string): number => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
};

const list = (name: string, values: readonly string[] | undefined): string[] => {
  const items = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  if (items.some((item) => item === '')) {
    throw new UsageError(`${name} needs a comma-separated list without empty entries`);
  }
  return items;
};

/** The longest `--timeout`: a day. */
const MAX_TIMEOUT_MS = 86_400_000;

const duration = (name: string, text: string): number => {
  let ms = Number.NaN;
  // A unit is required: `--timeout 30` would be 30 ms to parseDuration, 30 s to a reader.
  if (/[a-z]/i.test(text)) {
    try {
      ms = parseDuration(text.trim(), name);
    } catch {
      ms = Number.NaN;
    }
  }
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(
      `${name} must be a duration from 1ms to 24h with its unit, as 30s, 500ms, 2m or 1h30m, not "${text}"`,
    );
  }
  return Math.round(ms);
};

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
  // `exec [options] -- COMMAND [ARGS...]`: what follows `--` is the program's, never ours.
  const dashes = argv.indexOf('--');
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const execArgs = dashes < 0 ? [] : argv.slice(dashes + 1);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(own);
  } catch (error) {
    // parseArgs's own messages are clear ("Unknown option '--x'"); keep their first sentence.
    const message = (error as Error).message
      .replace(/\. To specify a positional.*$/s, '')
      .replace(/\s+Did you forget to specify the option argument.*$/s, '');
    throw new UsageError(
      /argument is ambiguous/.test(message)
        ? `${message.replace(/\.$/, '')}: a value starting with a dash is written --option=VALUE`
        : message,
    );
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  let command: CommandName;
  if (first !== undefined && first !== 'help' && !COMMANDS.has(first as CommandName)) {
    throw new UsageError(
      `unknown command "${first}": expected one of targets, whoami, call, exec, tour, worker, runs, help (see cs-aws --help)`,
    );
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !TOPICS.has(topic)) {
      throw new UsageError(
        `help ${topic}: no such command; help is available for ${HELP_TOPICS.join(', ')}`,
      );
    }
    if (rest.length > 1)
      throw new UsageError(`unexpected argument "${rest[1]}" after help ${topic}`);
    return helpLine(topic as HelpTopic | undefined);
  }
  if (values.help === true) {
    return helpLine(TOPICS.has(first ?? '') ? (first as HelpTopic) : undefined);
  }
  if (values.version === true) command = 'version';
  else if (first === undefined) command = 'help';
  else command = first as CommandName;
  if (dashes >= 0 && command !== 'exec') {
    throw new UsageError(`"--" and a program to run apply to the exec command only`);
  }

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
    throw new UsageError(
      command === 'exec'
        ? `unexpected argument "${rest[0]}": put the program to run after "--" (cs-aws exec -- ${rest.join(' ')})`
        : `unexpected argument "${rest[0]}": ${command} takes no arguments`,
    );
  }
  if (command === 'exec' && execArgs.length === 0) {
    throw new UsageError(
      'exec needs a program after "--": cs-aws exec [options] -- COMMAND [ARGS...], as cs-aws exec -- aws sts get-caller-identity',
    );
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
    throw new UsageError(`--output must be table, json, ndjson or csv, not "${output}"`);
  }
  if (
    values.report !== undefined &&
    command !== 'whoami' &&
    command !== 'call' &&
    command !== 'exec' &&
    command !== 'runs'
  ) {
    throw new UsageError('--report applies to the whoami, call, exec and runs commands only');
  }
  if (values['report-values'] === true && values.report === undefined) {
    throw new UsageError('--report-values needs --report FILE.html');
  }
  if (values.report?.trim() === '') {
    throw new UsageError('--report needs a file name, as --report run.html');
  }
  if (values.quiet === true && values.verbose === true) {
    throw new UsageError('--quiet and --verbose cannot be used together');
  }
  if (values.resume === true && values['output-dir'] === undefined) {
    throw new UsageError('--resume needs --output-dir DIR: the directory of the run to resume');
  }
  if (values.resolve === true && command !== 'targets') {
    throw new UsageError('--resolve applies to the targets command only');
  }
  if (
    command === 'tour' &&
    [values.profile, values.accounts, values.regions, values.query, values['output-dir']].some(
      (v) => v !== undefined,
    )
  ) {
    throw new UsageError(
      'tour always runs on the embedded endpoint, as tables: it takes --concurrency, --quiet and --verbose only',
    );
  }
  if (values.profile !== undefined && !/^[\w.@+-]{1,128}$/.test(values.profile)) {
    throw new UsageError(
      `--profile must be a profile name of the AWS config files, not "${values.profile}"`,
    );
  }
  if (values.queue !== undefined) queueOnlyOptions(values);
  const query = values.query === undefined ? undefined : jmespathExpression(values.query);
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
    execArgs,
    profile: values.profile,
    accounts: list('--accounts', values.accounts),
    regions: list('--regions', values.regions),
    timeout: values.timeout === undefined ? undefined : duration('--timeout', values.timeout),
    maxAttempts:
      values['max-attempts'] === undefined
        ? undefined
        : wholeNumber('--max-attempts', values['max-attempts'], 1, 20),
    query,
    outputDir: values['output-dir'],
    resume: values.resume === true,
    resolve: values.resolve === true,
    report: values.report,
    reportValues: values['report-values'] === true,
    queue: queueOption(command, values.queue),
    runs,
    allowExec: allowExecOption(command, values['allow-exec'] === true),
  };
}

/** The command line of a help request. */
const helpLine = (helpTopic: HelpTopic | undefined): CommandLine => ({
  command: 'help',
  helpTopic,
  service: undefined,
  operation: undefined,
  input: {},
  paginate: false,
  config: undefined,
  app: undefined,
  concurrency: 16,
  output: 'table',
  failFast: false,
  tolerance: undefined,
  ignore: [],
  quiet: false,
  verbose: false,
  execArgs: [],
  profile: undefined,
  accounts: [],
  regions: [],
  timeout: undefined,
  maxAttempts: undefined,
  query: undefined,
  outputDir: undefined,
  resume: false,
  resolve: false,
});

/** Checks a JMESPath expression now, so that a typo is a usage error before any call. */
const jmespathExpression = (text: string): string => {
  try {
    compile(text);
  } catch (error) {
    throw new UsageError(
      `--query ${JSON.stringify(text)} is not a JMESPath expression: ${(error as Error).message}`,
    );
  }
  return text;
};

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
      profile: { type: 'string' },
      accounts: { type: 'string', multiple: true },
      regions: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      'max-attempts': { type: 'string' },
      query: { type: 'string' },
      'output-dir': { type: 'string' },
      resume: { type: 'boolean' },
      resolve: { type: 'boolean' },
      report: { type: 'string' },
      'report-values': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
      queue: { type: 'string' },
      'allow-exec': { type: 'boolean' },
    },
  });
}

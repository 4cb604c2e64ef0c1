/**
 * Runs a checked command line: loads the configuration (or starts the embedded endpoint), runs the
 * command over every target and reports. Loaded on demand by `main`.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildRegionalAccountSet,
  buildRegionalAccountSetFromOrganization,
  getSection,
  loadConfig,
  parseConfig,
} from '@cs/config';
import type { CsAwsConfig, RegionalAccountSetConfig } from '@cs/config';
import type { Logger } from '@cs/session';
import { SERVED_OPERATIONS } from '@cs/aws-local';
import { isAwsClientError } from '@cs/regional';
import type { FanOutResult, IgnoreRule, RegionalAccount, RegionalAccountSet } from '@cs/regional';
import { DEFAULT_CONFIG_FILE, EXIT } from '../CliContext';
import type { CliContext } from '../CliContext';
import { AppSelectionError, UsageError } from '../errors';
import type { CommandLine } from '../parseCommandLine';
import { startEmbeddedEndpoint } from '../startEmbeddedEndpoint';
import type { EmbeddedEndpoint } from '../startEmbeddedEndpoint';
import { startHtmlReport } from './htmlReport';
import { ProgressBar } from './ProgressBar';
import { classHints } from './classHints';
import { OutputDirWriter, readEarlierSuccesses, targetKey } from './outputDir';
import { planTargets } from './plan';
import {
  CsvReporter,
  JsonReporter,
  NdjsonReporter,
  resultJson,
  summaryJson,
  TableReporter,
} from './reporters';
import type { Reporter } from './reporters';
import { applyCommandLine, GLOBAL_SERVICES, narrowToPatterns, TargetPatterns } from './selection';
import { summarize } from './summarize';
import type { TargetResult } from './TargetResult';
import { ProgramFailedError } from './runProgram';
import { workloadOf } from './workloads';
import type { Workload } from './workloads';

/**
 * A configuration ready to run: its section (with the command line applied), the set of targets
 * (not built for an offline `targets` plan, which makes no AWS call), and the embedded endpoint if
 * it serves them.
 *
 * @internal
 */
export interface Loaded {
  readonly app: string;
  readonly source: string;
  readonly section: RegionalAccountSetConfig;
  readonly set: RegionalAccountSet | undefined;
  readonly embedded: EmbeddedEndpoint | undefined;
}

const EMBEDDED_SOURCE = '<embedded sample configuration>';

/** Errors that every target would repeat: the command line names no usable operation. */
const COMMAND_ERRORS = new Set([
  'UnknownOperationError',
  'ServiceClientNotInstalledError',
  'OperationNotPaginatedError',
]);

/** The answers of @cs/aws-local (as of AWS) to an operation it does not serve. */
const NOT_SERVED_CODES = new Set(['InvalidAction', 'UnknownOperationException']);

/** One line: the embedded endpoint does not serve the operation, and what it serves. */
const notServedMessage = (service: string, operation: string): string =>
  `the embedded local AWS endpoint does not serve ${service}:${operation}; it serves ${Object.entries(
    SERVED_OPERATIONS,
  )
    .map(([s, ops]) => `${s} (${ops.join(', ')})`)
    .join(', ')}. Give --config FILE to call AWS`;

const note = (context: CliContext, command: CommandLine, text: string): void => {
  if (!command.quiet) context.stderr.write(`cs-aws: ${text}\n`);
};

const warnings = (command: CommandLine, context: CliContext): Logger => ({
  warn: (message: string) => {
    if (command.verbose) context.stderr.write(`cs-aws: warning: ${message}\n`);
  },
});

/** The app of `--app`, else the only key holding a RegionalAccountSet, or a clear error. @internal */
export const chooseApp = (
  config: CsAwsConfig,
  wanted: string | undefined,
  source: string,
): string => {
  const candidates = Object.keys(config).filter((key) => {
    const value = config[key];
    return typeof value === 'object' && value !== null && 'RegionalAccountSet' in value;
  });
  if (wanted !== undefined) {
    if (candidates.includes(wanted)) return wanted;
    throw new AppSelectionError(
      `--app ${wanted}: ${source} has no top-level key "${wanted}" holding a RegionalAccountSet; ${
        candidates.length === 0 ? 'it has none' : `it has: ${candidates.join(', ')}`
      }`,
      candidates,
    );
  }
  if (candidates.length === 1) return candidates[0] as string;
  throw new AppSelectionError(
    candidates.length === 0
      ? `${source} has no top-level key holding a RegionalAccountSet: add one (YourApp: { RegionalAccountSet: [...] })`
      : `${source} has several keys holding a RegionalAccountSet (${candidates.join(', ')}): choose one with --app`,
    candidates,
  );
};

/**
 * Builds the targets of the app's section (a bad region or filter is a ConfigError). Entries that
 * take their accounts from AWS Organizations are listed through AWS; others make no call.
 */
const buildSet = async (
  section: RegionalAccountSetConfig,
  app: string,
  source: string,
): Promise<RegionalAccountSet> => {
  const path = `${app}.RegionalAccountSet`;
  // Service clients are found where the command runs first (a package installed in the working
  // directory's project), then beside the command itself.
  const options = { source, path, loadServiceModule: loadServiceModuleFrom(process.cwd()) };
  if (section.some((entry) => entry.RegionalAccounts.Organization !== undefined)) {
    return await buildRegionalAccountSetFromOrganization(section, options);
  }
  return buildRegionalAccountSet(section, options);
};

/**
 * A service-module loader that resolves `@aws-sdk/client-<service>` from `cwd`'s project first,
 * then from the command's own installation.
 *
 * @internal
 */
export const loadServiceModuleFrom =
  (cwd: string) =>
  async (packageName: string): Promise<Record<string, unknown>> => {
    try {
      const resolved = createRequire(join(cwd, 'package.json')).resolve(packageName);
      return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    } catch {
      return (await import(packageName)) as Record<string, unknown>;
    }
  };

/** The section of the app, with `--profile` and `--max-attempts` applied to a copy. */
const sectionOf = (
  config: CsAwsConfig,
  app: string,
  command: CommandLine,
): RegionalAccountSetConfig =>
  applyCommandLine(getSection(config, `${app}.RegionalAccountSet`, 'RegionalAccountSet'), command);

/** Whether the command is the offline plan: `targets` without `--resolve` (no AWS call). */
const isOfflinePlan = (command: CommandLine, section: RegionalAccountSetConfig): boolean =>
  command.command === 'targets' &&
  !command.resolve &&
  // Accounts of an organisation are selected by id or alias only once they are listed.
  !(
    command.accounts.length > 0 &&
    section.some((entry) => entry.RegionalAccounts.Organization !== undefined)
  );

/**
 * Loads the configuration of `--config`, else `./cs-aws.yaml`, else starts the embedded endpoint
 * with the bundled configuration (always, for `tour`).
 *
 * @internal
 */
export async function load(command: CommandLine, context: CliContext): Promise<Loaded> {
  const env = context.env ?? process.env;
  const cwd = context.cwd ?? process.cwd();
  const file =
    command.config ??
    (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (file !== undefined && command.command !== 'tour') {
    const config = await loadConfig(resolve(cwd, file), {
      env: command.profile === undefined ? env : { ...env, AWS_PROFILE: command.profile },
      logger: warnings(command, context),
    });
    const app = chooseApp(config, command.app, file);
    const section = sectionOf(config, app, command);
    const set = isOfflinePlan(command, section) ? undefined : await buildSet(section, app, file);
    return { app, source: file, section, set, embedded: undefined };
  }
  if (command.profile !== undefined) {
    throw new UsageError(
      `--profile ${command.profile} needs a configuration (--config FILE or ./${DEFAULT_CONFIG_FILE}): the embedded endpoint has its own credentials`,
    );
  }
  const embedded = await startEmbeddedEndpoint();
  try {
    if (command.command !== 'tour') {
      note(
        context,
        command,
        `no configuration found (no --config, no ./${DEFAULT_CONFIG_FILE}): running against the embedded local AWS endpoint at ${embedded.aws.url}, with a sample organisation`,
      );
    }
    const config = parseConfig(embedded.configText, {
      env: { ...env, ...embedded.variables },
      source: EMBEDDED_SOURCE,
      logger: warnings(command, context),
    });
    const app = chooseApp(config, command.app ?? embedded.app, EMBEDDED_SOURCE);
    const section = sectionOf(config, app, command);
    const set = isOfflinePlan(command, section)
      ? undefined
      : await buildSet(section, app, EMBEDDED_SOURCE);
    return { app, source: EMBEDDED_SOURCE, section, set, embedded };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/** The columns of the offline plan of `targets`. */
const PLAN_COLUMNS: Workload['columns'] = [
  { header: 'credentials', cell: (v) => String((v as { credentials?: string }).credentials ?? '') },
  { header: 'rate limit', cell: (v) => String((v as { rateLimit?: string }).rateLimit ?? '') },
];

export const reporterFor = (
  command: CommandLine,
  context: CliContext,
  columns: Workload['columns'],
  plan = false,
): Reporter => {
  const reportContext = {
    command: commandText(command),
    columns: plan ? PLAN_COLUMNS : columns,
    plan,
    verbose: command.verbose,
    width: outputWidth(context),
  };
  if (command.output === 'json') return new JsonReporter(context.stdout, reportContext);
  if (command.output === 'ndjson') return new NdjsonReporter(context.stdout, reportContext);
  if (command.output === 'csv') return new CsvReporter(context.stdout, reportContext);
  return new TableReporter(context.stdout, reportContext);
};

/**
 * The width of the table output: the terminal's, else `COLUMNS` (as shells set it), else 100.
 *
 * @internal
 */
export const outputWidth = (context: CliContext): number => {
  const columns = context.stdout.columns;
  if (columns !== undefined && columns > 0) return columns;
  const fromEnv = Number((context.env ?? process.env).COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv >= 20 ? fromEnv : 100;
};

export const ignoreRules = (command: CommandLine): IgnoreRule[] =>
  command.ignore.map((rule) => ('class' in rule ? rule.class : { code: rule.code }));

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** The printable form of a fan-out result. @internal */
export const toTargetResult = (result: FanOutResult<unknown, RegionalAccount>): TargetResult => {
  const base = {
    accountId: result.accountId,
    alias: result.alias,
    region: result.region,
    durationMs: result.durationMs,
  };
  if (result.ok) return { ...base, status: 'succeeded', value: result.value };
  const programOutput =
    result.error instanceof ProgramFailedError
      ? {
          value: {
            exitCode: result.error.exitCode,
            signal: result.error.signal,
            stdout: result.error.stdout,
            stderr: result.error.stderr,
          },
        }
      : {};
  return {
    ...base,
    status: result.status,
    ...programOutput,
    error: {
      class: result.errorClass,
      code: result.errorCode,
      message: errorMessage(result.error),
      // The hint the summary gives, on the target itself too (a skipped target's JSON included).
      hint:
        (isAwsClientError(result.error) ? result.error.hint : undefined) ??
        classHints[result.errorClass] ??
        classHints.other,
    },
  };
};

/** A target that succeeded in the run kept in `--output-dir`, reported skipped by `--resume`. */
const resumedResult = (
  earlier: {
    accountId: string;
    alias: string | undefined;
    region: string | undefined;
    file: string;
  },
  dir: string,
): TargetResult => ({
  accountId: earlier.accountId,
  alias: earlier.alias,
  region: earlier.region,
  status: 'skipped',
  durationMs: 0,
  error: {
    class: 'already-succeeded',
    code: undefined,
    message: `succeeded in the earlier run kept in ${dir} (${earlier.file})`,
    hint: `--resume skips the targets that already succeeded in ${dir}; run without --resume to call them again`,
  },
});

/**
 * Runs the command over every target of a loaded configuration and reports.
 *
 * @returns the exit status: 0 all succeeded (skips allowed), 1 some failed, 130 interrupted
 * @throws {@link UsageError} when the service or operation cannot be called at all
 * @internal
 */
export async function runCommand(
  command: CommandLine,
  context: CliContext,
  loaded: Loaded,
): Promise<number> {
  const signal = context.signal ?? new AbortController().signal;
  const workload = workloadOf(command, context.env ?? process.env);
  const reporter = reporterFor(command, context, workload.columns, loaded.set === undefined);
  const patterns = new TargetPatterns(command.accounts, command.regions);
  const writer =
    command.outputDir === undefined ? undefined : new OutputDirWriter(command.outputDir);
  const started = performance.now();
  const results: TargetResult[] = [];
  let failed = 0;
  const record = (result: TargetResult): void => {
    results.push(result);
    if (result.status === 'failed') failed += 1;
    reporter.result(result);
    writer?.write(result, resultJson(result));
  };
  const finish = (stopped: Parameters<typeof summarize>[1]): number => {
    const summary = summarize(results, stopped, performance.now() - started);
    reporter.end(summary);
    writer?.writeSummary({ command: commandText(command), ...summaryJson(summary) });
    if (signal.aborted) return EXIT.interrupted;
    return summary.failed > 0 ? EXIT.failed : EXIT.ok;
  };

  if (loaded.set === undefined) {
    // The offline plan of `targets`: read from the configuration alone.
    const rows = planTargets(loaded.section, patterns);
    patterns.checkAllMatched(loaded.source);
    for (const row of rows) record(row);
    return finish(undefined);
  }

  let set = loaded.set;
  if (command.command === 'call' && GLOBAL_SERVICES.has(command.service ?? '')) {
    set = set.globalTargets();
    note(
      context,
      command,
      `${command.service} is a global service: it is called once per account, at its partition's global region`,
    );
  }
  set = await narrowToPatterns(set, patterns, loaded.source, signal);
  if (command.resume && command.outputDir !== undefined) {
    const earlier = readEarlierSuccesses(command.outputDir);
    if (earlier.size > 0) {
      await set.identify({ signal });
      const resumed = new Set<string>();
      set = set.narrow((t) => {
        const key = targetKey(t.accountId, t.region);
        if (t.accountId === undefined || !earlier.has(key)) return true;
        resumed.add(key);
        return false;
      });
      // Walk the narrowed set once so that the resumed targets are known before the run.
      for (const _ of set) {
        // counting only
      }
      for (const key of resumed) {
        const found = earlier.get(key);
        if (found !== undefined) {
          const result = resumedResult(found, command.outputDir);
          results.push(result);
          reporter.result(result);
        }
      }
    }
  }

  const progress =
    context.stderr.isTTY === true && !command.quiet
      ? new ProgressBar(context.stderr, command.command)
      : undefined;
  const html =
    command.report === undefined
      ? undefined
      : await startHtmlReport(command, context, command.report);
  const stream = set.stream(html?.wrap(workload.fn) ?? workload.fn, {
    concurrency: command.concurrency,
    signal,
    failFast: command.failFast,
    ...(command.tolerance === undefined ? {} : { tolerance: command.tolerance }),
    ...(command.timeout === undefined ? {} : { timeout: command.timeout }),
    ignore: ignoreRules(command),
  });
  const resumedCount = results.length;
  progress?.start(0);
  try {
    for await (const raw of stream) {
      if (!raw.ok && raw.error instanceof Error && COMMAND_ERRORS.has(raw.error.name)) {
        if (raw.error.name === 'ServiceClientNotInstalledError') {
          const name = `@aws-sdk/client-${command.service ?? ''}`;
          throw new UsageError(
            `call ${command.service ?? ''}: the package ${name} is not installed where cs-aws can find it: install it in the project of the directory you run cs-aws from (npm install ${name}), or, in the cs-aws repository, beside the command (pnpm --filter cs-aws-demo add ${name}, then pnpm build); or check the service id (the lower-case id of @aws-sdk/client-<service>)`,
          );
        }
        throw new UsageError(raw.error.message);
      }
      if (
        command.command === 'exec' &&
        !raw.ok &&
        (raw.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' &&
        (raw.error as NodeJS.ErrnoException | undefined)?.syscall?.startsWith('spawn') === true
      ) {
        throw new UsageError(
          `exec: ${command.execArgs[0] ?? ''}: program not found (give its path, or check PATH)`,
        );
      }
      // Every target would fail the same way: say it once, not once per target.
      if (
        !raw.ok &&
        loaded.embedded !== undefined &&
        isAwsClientError(raw.error) &&
        NOT_SERVED_CODES.has(raw.error.code)
      ) {
        throw new UsageError(notServedMessage(raw.error.service, raw.error.operation));
      }
      const result = toTargetResult(raw);
      html?.add(raw);
      // NDJSON on the same terminal as the bar: erase the bar, write the line, redraw below it.
      if (command.output === 'ndjson' && context.stdout.isTTY === true) progress?.clear();
      record(result);
      progress?.update(results.length - resumedCount, failed, stream.summary.total);
    }
  } finally {
    progress?.stop();
  }
  const code = finish(stream.summary.stopped);
  if (html !== undefined) {
    const path = await html.write(stream.summary, loaded.source);
    note(context, command, `wrote the report of the run to ${path}`);
  }
  if (command.verbose && loaded.embedded !== undefined) {
    const stats = loaded.embedded.aws.stats;
    context.stderr.write(
      `cs-aws: the embedded endpoint answered ${stats.requests} requests, ${stats.throttled} of them throttled\n`,
    );
  }
  return code;
}

/** The command as typed, for the JSON outputs. @internal */
export const commandText = (command: CommandLine): string =>
  [command.command, command.service, command.operation].filter(Boolean).join(' ');

/**
 * Runs a checked command (not `help`, `version` or `tour`, which `main` sends to the tour):
 * loads the configuration, runs, reports.
 *
 * @param command - the checked command line
 * @param context - streams, environment, working directory, cancellation
 * @returns the exit status
 * @throws `ConfigError`, {@link AppSelectionError} for a configuration that cannot be used
 * @internal
 */
export async function execute(command: CommandLine, context: CliContext): Promise<number> {
  if (command.command === 'call') {
    // The largest client packages (EC2) take seconds to load: start now, while the
    // configuration loads and the roles are assumed; the fan-out's import finds it loaded.
    import(`@aws-sdk/client-${command.service ?? ''}`).catch(() => undefined);
  }
  if (command.queue !== undefined) {
    const { executeQueued } = await import('./queued');
    return executeQueued(command, context);
  }
  const loaded = await load(command, context);
  try {
    return await runCommand(command, context, loaded);
  } finally {
    await loaded.embedded?.close();
  }
}

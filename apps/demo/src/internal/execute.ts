/**
 * Runs a checked command line: loads the configuration (or starts the embedded endpoint), runs the
 * command over every target and reports. Loaded on demand by `main`.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildRegionalAccountSet,
  buildRegionalAccountSetFromOrganization,
  getSection,
  loadConfig,
  parseConfig,
} from '@cs/config';
import type { ConfigLogger, CsAwsConfig } from '@cs/config';
import { isAwsClientError } from '@cs/regional';
import type { FanOutResult, IgnoreRule, RegionalAccount, RegionalAccountSet } from '@cs/regional';
import { DEFAULT_CONFIG_FILE, EXIT } from '../CliContext';
import type { CliContext } from '../CliContext';
import { AppSelectionError, UsageError } from '../errors';
import type { CommandLine } from '../parseCommandLine';
import { startEmbeddedEndpoint } from '../startEmbeddedEndpoint';
import type { EmbeddedEndpoint } from '../startEmbeddedEndpoint';
import { ProgressBar } from './ProgressBar';
import { JsonReporter, NdjsonReporter, TableReporter } from './reporters';
import type { Reporter } from './reporters';
import { summarize } from './summarize';
import type { TargetResult } from './TargetResult';
import { workloadOf } from './workloads';
import type { Workload } from './workloads';

/** A configuration ready to run: the set of targets, and the embedded endpoint if it serves them. @internal */
export interface Loaded {
  readonly app: string;
  readonly source: string;
  readonly set: RegionalAccountSet;
  readonly embedded: EmbeddedEndpoint | undefined;
}

const EMBEDDED_SOURCE = '<embedded sample configuration>';

/** Errors that every target would repeat: the command line names no usable operation. */
const COMMAND_ERRORS = new Set([
  'UnknownOperationError',
  'ServiceClientNotInstalledError',
  'OperationNotPaginatedError',
]);

const note = (context: CliContext, command: CommandLine, text: string): void => {
  if (!command.quiet) context.stderr.write(`cs-aws: ${text}\n`);
};

const warnings = (command: CommandLine, context: CliContext): ConfigLogger => ({
  warn: (message: string) => {
    if (command.verbose) context.stderr.write(`cs-aws: warning: ${message}\n`);
  },
});

const chooseApp = (config: CsAwsConfig, wanted: string | undefined, source: string): string => {
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
  config: CsAwsConfig,
  app: string,
  source: string,
): Promise<RegionalAccountSet> => {
  const path = `${app}.RegionalAccountSet`;
  const section = getSection(config, path, 'RegionalAccountSet');
  if (section.some((entry) => entry.RegionalAccounts.Organization !== undefined)) {
    return await buildRegionalAccountSetFromOrganization(section, { source, path });
  }
  return buildRegionalAccountSet(section, { source, path });
};

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
      env,
      logger: warnings(command, context),
    });
    const app = chooseApp(config, command.app, file);
    return { app, source: file, set: await buildSet(config, app, file), embedded: undefined };
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
    const set = await buildSet(config, app, EMBEDDED_SOURCE);
    return { app, source: EMBEDDED_SOURCE, set, embedded };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

export const reporterFor = (
  command: CommandLine,
  context: CliContext,
  columns: Workload['columns'],
): Reporter => {
  const reportContext = {
    command: [command.command, command.service, command.operation].filter(Boolean).join(' '),
    columns,
    verbose: command.verbose,
    width: outputWidth(context),
  };
  if (command.output === 'json') return new JsonReporter(context.stdout, reportContext);
  if (command.output === 'ndjson') return new NdjsonReporter(context.stdout, reportContext);
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
  return {
    ...base,
    status: result.status,
    error: {
      class: result.errorClass,
      code: result.errorCode,
      message: errorMessage(result.error),
      hint: isAwsClientError(result.error) ? result.error.hint : undefined,
    },
  };
};

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
  const workload = workloadOf(command);
  const reporter = reporterFor(command, context, workload.columns);
  const progress =
    context.stderr.isTTY === true && !command.quiet
      ? new ProgressBar(context.stderr, command.command)
      : undefined;
  const started = performance.now();
  const results: TargetResult[] = [];
  const stream = loaded.set.stream(workload.fn, {
    concurrency: command.concurrency,
    signal,
    failFast: command.failFast,
    ...(command.tolerance === undefined ? {} : { tolerance: command.tolerance }),
    ignore: ignoreRules(command),
  });
  let failed = 0;
  progress?.start(0);
  try {
    for await (const raw of stream) {
      if (!raw.ok && raw.error instanceof Error && COMMAND_ERRORS.has(raw.error.name)) {
        throw new UsageError(raw.error.message);
      }
      const result = toTargetResult(raw);
      results.push(result);
      if (result.status === 'failed') failed += 1;
      // NDJSON on the same terminal as the bar: erase the bar, write the line, redraw below it.
      if (command.output === 'ndjson' && context.stdout.isTTY === true) progress?.clear();
      reporter.result(result);
      progress?.update(results.length, failed, stream.summary.total);
    }
  } finally {
    progress?.stop();
  }
  const summary = summarize(results, stream.summary.stopped, performance.now() - started);
  reporter.end(summary);
  if (command.verbose && loaded.embedded !== undefined) {
    const stats = loaded.embedded.aws.stats;
    context.stderr.write(
      `cs-aws: the embedded endpoint answered ${stats.requests} requests, ${stats.throttled} of them throttled\n`,
    );
  }
  if (signal.aborted) return EXIT.interrupted;
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * Runs a checked command (not `help` or `version`): loads the configuration, runs, reports.
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
  if (command.command === 'tour') {
    const { runTour } = await import('./tour');
    return runTour(command, context);
  }
  const loaded = await load(command, context);
  try {
    return await runCommand(command, context, loaded);
  } finally {
    await loaded.embedded?.close();
  }
}

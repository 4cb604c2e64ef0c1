/**
 * Runs a checked command line: loads the configuration (or starts the embedded endpoint), runs the
 * command over every target and reports. Loaded on demand by `main`.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { getSection, loadConfig, parseConfig } from '@cs/config';
import type { CsAwsConfig, RegionalAccountSetConfig } from '@cs/config';
import { DEFAULT_CONFIG_FILE, EXIT } from '../CliContext';
import type { CliContext } from '../CliContext';
import { AppSelectionError } from '../errors';
import type { CommandLine } from '../parseCommandLine';
import { startEmbeddedEndpoint } from '../startEmbeddedEndpoint';
import type { EmbeddedEndpoint } from '../startEmbeddedEndpoint';
import { planTargets } from './planTargets';
import { ProgressBar } from './ProgressBar';
import { JsonReporter, NdjsonReporter, TableReporter } from './reporters';
import type { Reporter, ValueColumn } from './reporters';
import { summarize } from './summarize';
import type { TargetResult } from './TargetResult';

interface Loaded {
  readonly config: CsAwsConfig;
  readonly app: string;
  readonly set: RegionalAccountSetConfig;
  readonly embedded: EmbeddedEndpoint | undefined;
}

const note = (context: CliContext, command: CommandLine, text: string): void => {
  if (!command.quiet) context.stderr.write(`cs-aws: ${text}\n`);
};

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

async function load(command: CommandLine, context: CliContext): Promise<Loaded> {
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
    const set = getSection(config, `${app}.RegionalAccountSet`, 'RegionalAccountSet');
    return { config, app, set, embedded: undefined };
  }
  const embedded = await startEmbeddedEndpoint();
  try {
    note(
      context,
      command,
      `no configuration found (no --config, no ./${DEFAULT_CONFIG_FILE}): running against the embedded local AWS endpoint at ${embedded.aws.url}, with a sample organisation`,
    );
    const config = parseConfig(embedded.configText, {
      env: { ...env, ...embedded.variables },
      source: '<embedded sample configuration>',
      logger: warnings(command, context),
    });
    const app = chooseApp(config, command.app ?? embedded.app, '<embedded sample configuration>');
    const set = getSection(config, `${app}.RegionalAccountSet`, 'RegionalAccountSet');
    return { config, app, set, embedded };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

const warnings = (command: CommandLine, context: CliContext) => ({
  warn: (message: string) => {
    if (command.verbose) context.stderr.write(`cs-aws: warning: ${message}\n`);
  },
});

const reporterFor = (
  command: CommandLine,
  context: CliContext,
  columns: ValueColumn[],
): Reporter => {
  const reportContext = {
    command: [command.command, command.service, command.operation].filter(Boolean).join(' '),
    columns,
    verbose: command.verbose,
  };
  if (command.output === 'json') return new JsonReporter(context.stdout, reportContext);
  if (command.output === 'ndjson') return new NdjsonReporter(context.stdout, reportContext);
  return new TableReporter(context.stdout, reportContext);
};

async function runCommand(
  command: CommandLine,
  context: CliContext,
  loaded: Loaded,
): Promise<number> {
  const signal = context.signal ?? new AbortController().signal;
  const columns: ValueColumn[] = [];
  const reporter = reporterFor(command, context, columns);
  const progress =
    context.stderr.isTTY === true && !command.quiet
      ? new ProgressBar(context.stderr, command.command)
      : undefined;
  const started = performance.now();
  const results: TargetResult[] = [];
  let failed = 0;
  progress?.start(0);
  try {
    for await (const result of planTargets(loaded.set, signal)) {
      results.push(result);
      if (result.status === 'failed') failed += 1;
      progress?.update(results.length, failed, results.length);
      reporter.result(result);
    }
  } finally {
    progress?.stop();
  }
  const stopped = signal.aborted ? 'aborted' : undefined;
  const summary = summarize(results, stopped, performance.now() - started);
  reporter.end(summary);
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
  const loaded = await load(command, context);
  try {
    return await runCommand(command, context, loaded);
  } finally {
    await loaded.embedded?.close();
  }
}

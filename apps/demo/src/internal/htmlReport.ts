/**
 * `--report FILE`: collects the fan-out's results and what their requests waited for, and writes
 * the self-contained HTML report of `@cs/report-html` at the end of the run.
 */

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FanOutReport } from '@cs/regional';
import type { FanOutFunction, FanOutResult, FanOutSummary, RegionalAccount } from '@cs/regional';
import type { CliContext } from '../CliContext';
import { UsageError } from '../errors';
import type { CommandLine } from '../parseCommandLine';
import { classHints } from './classHints';

/** The report of a run in progress. @internal */
export interface HtmlReport {
  /** The fan-out function, with its requests' rate-limit waits and throttling recorded. */
  wrap<R>(fn: FanOutFunction<R>): FanOutFunction<R>;
  /** Records a result. */
  add(result: FanOutResult<unknown, RegionalAccount>): void;
  /** Writes the report. @throws {@link UsageError} when the file cannot be written */
  write(summary: FanOutSummary, configFile: string): Promise<string>;
}

/** The command as typed; of `--input`, the keys only (a value may be a secret, as a TokenCode). */
const commandText = (command: CommandLine): string =>
  [
    'cs-aws',
    command.command,
    command.service,
    command.operation,
    Object.keys(command.input).length > 0
      ? `--input {${Object.keys(command.input).join(', ')}}`
      : undefined,
    command.paginate ? '--paginate' : undefined,
    command.app === undefined ? undefined : `--app ${command.app}`,
    command.reportValues === true ? '--report-values' : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ');

/**
 * Starts the report of `--report FILE`: checks that its directory exists (before the run, so that
 * a long run is not lost to a typo) and loads `@cs/report-html`.
 *
 * @internal
 */
export async function startHtmlReport(
  command: CommandLine,
  context: CliContext,
  file: string,
): Promise<HtmlReport> {
  const path = resolve(context.cwd ?? process.cwd(), file);
  if (!existsSync(dirname(path))) {
    throw new UsageError(
      `--report ${file}: the directory ${dirname(path)} does not exist; create it or choose another file`,
    );
  }
  const { renderReportHtml, TargetTimingRecorder } = await import('@cs/report-html');
  const timings = new TargetTimingRecorder();
  const results: FanOutResult<unknown, RegionalAccount>[] = [];
  const startedAt = new Date();
  const text = commandText(command); // now: the run may add to its input (a paginator's NextToken)
  return {
    wrap: (fn) => timings.wrap(fn),
    add: (result) => {
      results.push(result);
    },
    write: async (summary, configFile) => {
      timings.close();
      const html = renderReportHtml(new FanOutReport(results, summary), {
        command: text,
        configFile,
        startedAt,
        endedAt: new Date(),
        reportValues: command.reportValues === true,
        timing: (result) => timings.timingOf(result),
        hint: (failure) => classHints[failure.errorClass],
      });
      try {
        await writeFile(path, html, 'utf8');
      } catch (error) {
        throw new UsageError(
          `--report ${file}: the report could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
      return path;
    },
  };
}

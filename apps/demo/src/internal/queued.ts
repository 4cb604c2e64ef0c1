/**
 * The commands on the BullMQ queue of `@cs/fanout-bullmq`: `worker`, `call`/`whoami`/`exec
 * --queue` (submit and collect), `runs list|show|resume|cancel`. Loaded on demand by `execute`.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@cs/config';
import type { CsAwsConfig } from '@cs/config';
import { attachRun, listRuns, startWorker, submitRun } from '@cs/fanout-bullmq';
import type { QueuedRun } from '@cs/fanout-bullmq';
import { DEFAULT_CONFIG_FILE, EXIT } from '../CliContext';
import type { CliContext } from '../CliContext';
import { UsageError } from '../errors';
import type { CommandLine } from '../parseCommandLine';
import {
  chooseApp,
  commandText,
  ignoreRules,
  loadServiceModuleFrom,
  outputWidth,
  reporterFor,
  toTargetResult,
} from './execute';
import { execResult, execTask, refuseExecTask } from './execTask';
import { OutputDirWriter } from './outputDir';
import { resultJson, summaryJson } from './reporters';
import { startHtmlReport } from './htmlReport';
import { ProgressBar } from './ProgressBar';
import { formatTable } from './formatTable';
import { summarize } from './summarize';
import type { TargetResult } from './TargetResult';
import { describeOutput, workloadOf } from './workloads';

const note = (context: CliContext, command: CommandLine, text: string): void => {
  if (!command.quiet) context.stderr.write(`cs-aws: ${text}\n`);
};

/** The configuration file the producer and the workers share (no embedded endpoint here). */
async function configOf(
  command: CommandLine,
  context: CliContext,
): Promise<{ document: CsAwsConfig; file: string }> {
  const cwd = context.cwd ?? process.cwd();
  const file =
    command.config ??
    (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (file === undefined) {
    throw new UsageError(
      `--queue needs a configuration file that the producer and every worker read: --config FILE (or ./${DEFAULT_CONFIG_FILE}); the embedded endpoint lives in one process only`,
    );
  }
  const env = context.env ?? process.env;
  return { document: await loadConfig(resolve(cwd, file), { env }), file };
}

/** Writes a plain table. */
const table = (context: CliContext, headers: string[], rows: string[][]): void => {
  const lines = formatTable(
    headers.map((header) => ({ header })),
    rows,
    outputWidth(context),
  );
  context.stdout.write(`${lines.join('\n')}\n`);
};

/** Waits until the signal fires (Ctrl-C) or the process is asked to stop (SIGTERM). */
const untilStopped = (signal: AbortSignal | undefined): Promise<void> =>
  new Promise((done) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      done();
    };
    process.once('SIGTERM', stop);
    if (signal?.aborted === true) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });

async function runWorker(command: CommandLine, context: CliContext): Promise<number> {
  const config = await configOf(command, context);
  const worker = await startWorker({
    connection: command.queue!,
    config,
    concurrency: command.concurrency,
    // `exec` runs programs: only on a worker started with --allow-exec; the others refuse it.
    tasks: [command.allowExec === true ? execTask : refuseExecTask],
    // A worker that dies holds its jobs 10 s at most before another one takes them over.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    // The SDK clients installed next to the command (pnpm keeps them out of @cs/regional's sight).
    loadServiceModule: (name) => import(name),
  });
  note(
    context,
    command,
    `worker ${worker.id} takes jobs from ${redacted(command.queue!)} with ${config.file}, ${command.concurrency} at a time${command.allowExec === true ? ', exec jobs included (--allow-exec)' : ''}; Ctrl-C or SIGTERM stops it after its running targets`,
  );
  await untilStopped(context.signal);
  note(
    context,
    command,
    `worker ${worker.id} stopping: finishing ${worker.running} running target(s)`,
  );
  await worker.close();
  note(context, command, `worker ${worker.id} stopped after ${worker.processed} job(s)`);
  return EXIT.ok;
}

/** The URL without its password, for messages. */
const redacted = (url: string): string => {
  const u = new URL(url);
  if (u.password !== '') u.password = '***';
  return u.toString();
};

/** Reads a run's results into the command's reporter; Ctrl-C leaves the run to the workers. */
async function collect(
  command: CommandLine,
  context: CliContext,
  run: QueuedRun,
  label: string,
): Promise<number> {
  const workload = workloadOf(command);
  const columns =
    command.command === 'runs' ? [{ header: 'result', cell: describeOutput }] : workload.columns;
  const reporter = reporterFor(command, context, columns);
  const progress =
    context.stderr.isTTY === true && !command.quiet
      ? new ProgressBar(context.stderr, label)
      : undefined;
  const started = performance.now();
  const results: TargetResult[] = [];
  let failed = 0;
  let detached = false;
  const html =
    command.report === undefined
      ? undefined
      : await startHtmlReport(command, context, command.report);
  // The producer writes --output-dir (the workers may be on other machines).
  const writer =
    command.outputDir === undefined ? undefined : new OutputDirWriter(command.outputDir);
  const isExec =
    command.command === 'exec' ||
    (command.command === 'runs' && (await run.info()).task === 'exec');
  // A resumed run's program is in the run's input on Redis, not on this command line.
  const program = command.execArgs[0] ?? 'the program';
  // A program's non-zero status fails its target here, not on the worker: --fail-fast and
  // --tolerance count it here, as the run counts the failures it sees itself.
  const tolerance = command.tolerance ?? Infinity;
  const allowed = command.failFast
    ? 0
    : tolerance > 0 && tolerance < 1
      ? Math.floor(tolerance * run.total)
      : tolerance;
  let stoppedHere: 'fail-fast' | 'tolerance' | undefined;
  const iterator = run.results();
  const onAbort = (): void => {
    detached = true;
    void iterator.return?.();
  };
  context.signal?.addEventListener('abort', onAbort, { once: true });
  progress?.start(run.total);
  try {
    for await (const received of iterator) {
      const raw = isExec ? execResult(program, received) : received;
      const result = toTargetResult(raw);
      html?.add(raw);
      results.push(result);
      if (result.status === 'failed') failed += 1;
      if (raw !== received && raw.status === 'failed' && failed > allowed && !stoppedHere) {
        stoppedHere = command.failFast ? 'fail-fast' : 'tolerance';
        await run.cancel();
      }
      if (command.output === 'ndjson' && context.stdout.isTTY === true) progress?.clear();
      reporter.result(result);
      writer?.write(result, resultJson(result));
      progress?.update(results.length, failed, run.total);
    }
  } finally {
    progress?.stop();
    context.signal?.removeEventListener('abort', onAbort);
  }
  const summary = summarize(
    results,
    stoppedHere ?? run.summary.stopped,
    performance.now() - started,
  );
  reporter.end(summary);
  writer?.writeSummary({ command: commandText(command), ...summaryJson(summary) });
  if (html !== undefined) {
    const path = await html.write(run.summary, `run ${run.id}`);
    note(context, command, `wrote the report of the run to ${path}`);
  }
  if (detached || context.signal?.aborted === true) {
    note(
      context,
      command,
      `run ${run.id} goes on on the workers: collect the rest with cs-aws runs resume ${run.id} --queue ${redacted(command.queue!)}, or stop it with cs-aws runs cancel ${run.id}`,
    );
    return EXIT.interrupted;
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

async function submit(command: CommandLine, context: CliContext): Promise<number> {
  const config = await configOf(command, context);
  const task =
    command.command === 'whoami' || command.command === 'exec'
      ? command.command
      : command.paginate
        ? 'paginate'
        : 'call';
  const run = await submitRun({
    connection: command.queue!,
    config,
    // As in process: --app, else the only app, or the same usage error.
    app: chooseApp(config.document, command.app, config.file),
    task,
    tasks: [execTask],
    // The job's input: the program and its arguments for exec (never its environment).
    input:
      task === 'whoami'
        ? null
        : task === 'exec'
          ? { argv: command.execArgs }
          : { service: command.service, operation: command.operation, input: command.input },
    ...(command.timeout === undefined ? {} : { timeout: command.timeout }),
    // The producer lists organisations and discovers regions itself, with the command's clients.
    loadServiceModule: loadServiceModuleFrom(context.cwd ?? process.cwd()),
    failFast: command.failFast,
    ...(command.tolerance === undefined ? {} : { tolerance: command.tolerance }),
    ignore: ignoreRules(command),
  });
  try {
    note(
      context,
      command,
      `run ${run.id}: ${run.total} target(s) queued on ${redacted(command.queue!)}; if this command stops, cs-aws runs resume ${run.id} collects the rest`,
    );
    return await collect(command, context, run, command.command);
  } finally {
    await run.close();
  }
}

async function runs(command: CommandLine, context: CliContext): Promise<number> {
  const { action, id } = command.runs!;
  const connection = command.queue!;
  if (action === 'list') {
    const list = await listRuns({ connection });
    if (command.output === 'json') {
      context.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    } else {
      table(
        context,
        ['run', 'state', 'task', 'collected', 'running', 'section', 'submitted'],
        list.map((r) => [
          r.id,
          r.state,
          r.task,
          `${r.collected}/${r.total}`,
          String(r.running),
          r.section,
          new Date(r.created).toISOString(),
        ]),
      );
    }
    return EXIT.ok;
  }
  const run = await attachRun({ connection, id: id!, ignore: ignoreRules(command) });
  try {
    if (action === 'show') {
      const info = await run.info();
      if (command.report !== undefined) {
        // The same report as the run's own --report, from what the run has collected.
        const html = await startHtmlReport(command, context, command.report);
        const report = await run.report();
        for (const result of report.results) html.add(result);
        const path = await html.write(report.summary, `${info.file} (${info.section})`);
        note(context, command, `wrote the report of run ${id} to ${path}`);
      }
      if (command.output === 'json') context.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      else {
        table(
          context,
          ['field', 'value'],
          Object.entries(info).map(([k, v]) => [
            k,
            k === 'created' ? new Date(v as number).toISOString() : String(v),
          ]),
        );
      }
      return EXIT.ok;
    }
    if (action === 'cancel') {
      await run.cancel();
      const report = await run.report();
      const { succeeded, failed, skipped } = report.summary;
      note(
        context,
        command,
        `run ${id} cancelled: ${succeeded} succeeded, ${failed} failed, ${skipped} skipped`,
      );
      return EXIT.ok;
    }
    return await collect(command, context, run, `run ${id}`);
  } finally {
    await run.close();
  }
}

/**
 * Runs a command on the queue.
 *
 * @returns the exit status
 * @internal
 */
export async function executeQueued(command: CommandLine, context: CliContext): Promise<number> {
  if (command.command === 'worker') return runWorker(command, context);
  if (command.command === 'runs') return runs(command, context);
  return submit(command, context);
}

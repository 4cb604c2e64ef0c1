/**
 * The three output formats: a table (with the summary) at the end, one JSON document at the end,
 * or NDJSON, one line per target as it completes and a summary line.
 */

import { stringify } from 'csv-stringify/sync';
import { formatTable } from './formatTable';
import type { Column } from './formatTable';
import { targetName } from './summarize';
import type { RunSummary, StatusCounts } from './summarize';
import { byAccountThenRegion } from './TargetResult';
import type { TargetResult } from './TargetResult';

/** Where a reporter writes (stdout). @internal */
export interface OutputStream {
  write(text: string): unknown;
  readonly columns?: number;
}

/** A command's own columns in the table output. @internal */
export interface ValueColumn {
  readonly header: string;
  readonly cell: (value: unknown) => string;
  readonly align?: 'left' | 'right';
}

/** What a reporter needs to know of the command. @internal */
export interface ReportContext {
  /** The command as typed (`call ec2 DescribeInstances`), for the JSON outputs. */
  readonly command: string;
  /** The command's columns. */
  readonly columns: readonly ValueColumn[];
  /** Whether to print every failure's message in full. */
  readonly verbose: boolean;
  /** The width of the table output. @defaultValue 100 */
  readonly width?: number;
  /** Whether the results are an offline plan (`targets` without `--resolve`): no call was made. */
  readonly plan?: boolean;
}

/** Receives each result as it completes, then the summary. @internal */
export interface Reporter {
  result(result: TargetResult): void;
  end(summary: RunSummary): void;
}

/** The stable JSON form of a result (fixed key order). @internal */
export const resultJson = (r: TargetResult): Record<string, unknown> => ({
  accountId: r.accountId ?? null,
  alias: r.alias ?? null,
  region: r.region ?? null,
  status: r.status,
  durationMs: Math.round(r.durationMs),
  ...(r.status === 'succeeded'
    ? { value: r.value ?? null }
    : r.value === undefined
      ? {}
      : { value: r.value }),
  ...(r.error === undefined
    ? {}
    : {
        error: {
          class: r.error.class,
          code: r.error.code ?? null,
          message: r.error.message,
          hint: r.error.hint ?? null,
        },
      }),
});

/** The stable JSON form of a summary. @internal */
export const summaryJson = (s: RunSummary): Record<string, unknown> => ({
  total: s.total,
  succeeded: s.succeeded,
  failed: s.failed,
  skipped: s.skipped,
  stopped: s.stopped ?? null,
  durationMs: Math.round(s.durationMs),
  byAccount: s.byAccount,
  byRegion: s.byRegion,
  failures: s.groups.map((g) => ({
    class: g.class,
    status: g.status,
    count: g.count,
    codes: g.codes,
    hint: g.hint,
    targets: g.targets,
  })),
});

/** Writes NDJSON: one `{"type":"target",...}` line per result as it arrives, then `{"type":"summary",...}`. @internal */
export class NdjsonReporter implements Reporter {
  constructor(
    readonly out: OutputStream,
    readonly context: ReportContext,
  ) {}

  result(result: TargetResult): void {
    this.out.write(`${JSON.stringify({ type: 'target', ...resultJson(result) })}\n`);
  }

  end(summary: RunSummary): void {
    this.out.write(
      `${JSON.stringify({ type: 'summary', command: this.context.command, ...summaryJson(summary) })}\n`,
    );
  }
}

/**
 * A reporter that writes nothing until the end: it keeps every result, and its `end` reads them
 * back by account, then region (the order of the final reports, whatever order calls finished in).
 *
 * @internal
 */
abstract class CollectingReporter implements Reporter {
  readonly #results: TargetResult[] = [];

  constructor(
    readonly out: OutputStream,
    readonly context: ReportContext,
  ) {}

  result(result: TargetResult): void {
    this.#results.push(result);
  }

  abstract end(summary: RunSummary): void;

  /** The results kept so far, sorted by account, then region (a new array each time). */
  protected sortedResults(): TargetResult[] {
    return [...this.#results].sort(byAccountThenRegion);
  }
}

const CSV_TARGET_COLUMNS = ['account_id', 'alias', 'region', 'status'] as const;

/** The cell text of a value: strings as they are, anything else as JSON. */
const csvCell = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Writes CSV at the end (RFC 4180, with a header row): the target's account, alias, region and
 * status, then its value. A value that is a list (as `--query 'Reservations[].Instances[]'`
 * gives) is one row per item; an object's fields are columns (the union over all rows, in the
 * order first seen); anything else is one `value` column. A succeeded target whose list is empty
 * is one row of its target columns alone, so that every target of the run has a row. A failed or
 * skipped target is one row with its error's class, code and message.
 *
 * @internal
 */
export class CsvReporter extends CollectingReporter {
  end(summary: RunSummary): void {
    const rows: Record<string, unknown>[] = [];
    const valueColumns: string[] = [];
    const seen = new Set<string>(CSV_TARGET_COLUMNS);
    const column = (name: string): string => {
      if (!seen.has(name)) {
        seen.add(name);
        valueColumns.push(name);
      }
      return name;
    };
    for (const r of this.sortedResults()) {
      const base = {
        account_id: r.accountId ?? '',
        alias: r.alias ?? '',
        region: r.region ?? '',
        status: r.status,
      };
      if (r.status !== 'succeeded') {
        rows.push({
          ...base,
          [column('error_class')]: r.error?.class,
          [column('error_code')]: r.error?.code,
          [column('error_message')]: r.error?.message,
        });
        continue;
      }
      const items: unknown[] = Array.isArray(r.value) ? (r.value as unknown[]) : [r.value];
      if (items.length === 0) rows.push(base);
      for (const item of items) {
        if (isPlainObject(item)) {
          const row: Record<string, unknown> = { ...base };
          for (const [key, value] of Object.entries(item)) row[column(key)] = value;
          rows.push(row);
        } else {
          rows.push({ ...base, [column('value')]: item });
        }
      }
    }
    const header = [...CSV_TARGET_COLUMNS, ...valueColumns];
    this.out.write(
      stringify([header, ...rows.map((row) => header.map((name) => csvCell(row[name])))], {
        eof: true,
      }),
    );
    // The summary is not data: CSV holds the targets only (the exit status tells the outcome).
    void summary;
  }
}

/** Writes one JSON document at the end: `{ command, results (by account, region), summary }`. @internal */
export class JsonReporter extends CollectingReporter {
  end(summary: RunSummary): void {
    const document = {
      command: this.context.command,
      results: this.sortedResults().map(resultJson),
      summary: summaryJson(summary),
    };
    this.out.write(`${JSON.stringify(document, null, 2)}\n`);
  }
}

const DEFAULT_WIDTH = 100;
const LISTED_TARGETS = 6;

const countsRow = (name: string, c: StatusCounts): string[] => [
  name,
  String(c.succeeded),
  String(c.failed),
  String(c.skipped),
];

const countColumns = (first: string): Column[] => [
  { header: first },
  { header: 'ok', align: 'right', shrink: false },
  { header: 'failed', align: 'right', shrink: false },
  { header: 'skipped', align: 'right', shrink: false },
];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** Wraps text at spaces to `width` columns, each line indented. @internal */
export const wrap = (text: string, width: number, indent: string): string[] => {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(`${indent}${line}`);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
};

/**
 * Writes, at the end, a table of the targets (by account, then region) sized to the terminal,
 * then the summary: counts per account and per region, and the failures grouped by class with
 * what to do.
 *
 * @internal
 */
export class TableReporter extends CollectingReporter {
  end(summary: RunSummary): void {
    const width = this.context.width ?? DEFAULT_WIDTH;
    const lines: string[] = [];
    const columns: Column[] = [
      { header: 'account' },
      { header: 'alias' },
      { header: 'region', shrink: false },
      { header: 'status', shrink: false },
      ...this.context.columns.map((c) => ({ header: c.header, align: c.align ?? 'left' })),
      { header: 'time', align: 'right', shrink: false },
    ];
    const rows = this.sortedResults().map((r) => [
      r.accountId ?? '?',
      r.alias ?? '',
      r.region ?? '',
      this.context.plan === true ? 'planned' : r.status === 'succeeded' ? 'ok' : r.status,
      ...this.context.columns.map((c, i) =>
        r.status === 'succeeded'
          ? c.cell(r.value)
          : i === 0
            ? `${r.error?.code ?? r.error?.class ?? ''}${r.error?.code === undefined ? '' : ` (${r.error.class})`}`
            : '',
      ),
      `${Math.round(r.durationMs)}ms`,
    ]);
    lines.push(...formatTable(columns, rows, width), '');
    if (this.context.plan === true) {
      lines.push(
        `${summary.total} targets planned from the configuration, without any AWS call (--resolve lists organisation members and reads account ids and aliases)`,
      );
      this.out.write(`${lines.join('\n')}\n`);
      return;
    }

    const stopped =
      summary.stopped === undefined
        ? ''
        : summary.stopped === 'aborted'
          ? ' (interrupted: the rest were not run)'
          : ` (stopped by ${summary.stopped === 'fail-fast' ? '--fail-fast' : '--tolerance'})`;
    lines.push(
      `${summary.total} targets: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.skipped} skipped in ${seconds(summary.durationMs)}${stopped}`,
    );
    if (summary.byAccount.length > 1 || summary.byRegion.length > 1) {
      lines.push('');
      const accountLines = formatTable(
        countColumns('account'),
        summary.byAccount.map((a) => countsRow(a.account, a)),
        width,
      );
      const regionLines = formatTable(
        countColumns('region'),
        summary.byRegion.map((r) => countsRow(r.region, r)),
        width,
      );
      const left = Math.max(...accountLines.map((l) => l.length));
      const right = Math.max(...regionLines.map((l) => l.length));
      if (left + 4 + right <= width) {
        // Side by side when they fit: the summary stays short.
        for (let i = 0; i < Math.max(accountLines.length, regionLines.length); i += 1) {
          lines.push(
            `${(accountLines[i] ?? '').padEnd(left)}    ${regionLines[i] ?? ''}`.trimEnd(),
          );
        }
      } else {
        lines.push(...accountLines, '', ...regionLines);
      }
    }
    for (const group of summary.groups) {
      const codes = group.codes.length > 0 ? `: ${group.codes.join(', ')}` : '';
      lines.push('', `${group.status} (${group.count}) ${group.class}${codes}`);
      lines.push(...wrap(group.hint, width, '  '));
      const shown = this.context.verbose ? group.targets : group.targets.slice(0, LISTED_TARGETS);
      const more = group.targets.length - shown.length;
      const list = `${shown.join(', ')}${more > 0 ? `, and ${more} more (--verbose lists them)` : ''}`;
      lines.push(...wrap(list, width, '  '));
    }
    if (this.context.verbose) {
      const failures = this.sortedResults().filter((r) => r.error !== undefined);
      if (failures.length > 0) lines.push('', 'messages:');
      for (const r of failures) {
        lines.push(...wrap(`${targetName(r)}: ${r.error?.message ?? ''}`, width, '  '));
      }
    }
    this.out.write(`${lines.join('\n')}\n`);
  }
}

/**
 * Turns a FanOutReport into one self-contained HTML page: nothing is fetched when it opens.
 */

import { isAwsClientError } from '@cs/regional';
import type { FanOutFailure, FanOutReport, FanOutResult } from '@cs/regional';
import { ReportTooLargeError } from './errors';
import { escapeHtml, escapeText } from './internal/escape';
import { redactedJson, redactText } from './internal/redact';
import { STYLE } from './internal/style';
import type { TargetTiming } from './TargetTimings';

/**
 * How {@link renderReportHtml} renders a report.
 *
 * @public
 */
export interface ReportHtmlOptions {
  /** The page's title. @defaultValue `'cs-aws run report'` */
  readonly title?: string;
  /** The command that ran (`cs-aws whoami --config prod.yaml`), shown as text. @defaultValue not shown */
  readonly command?: string;
  /** The configuration file of the run. @defaultValue not shown */
  readonly configFile?: string;
  /** When the run started. @defaultValue not shown */
  readonly startedAt?: Date;
  /** When the run ended. @defaultValue `startedAt` + the summary's `durationMs` */
  readonly endedAt?: Date;
  /**
   * Include every target's value (bounded by `maxValueChars`), not only the small ones
   * (`smallValueChars`). Secret-named fields are redacted either way.
   * @defaultValue false
   */
  readonly reportValues?: boolean;
  /** A value whose JSON text is at most this long is always included. @defaultValue 200 */
  readonly smallValueChars?: number;
  /** With `reportValues`, a value's JSON text is cut at this length. @defaultValue 4000 */
  readonly maxValueChars?: number;
  /** Messages are cut at this length. @defaultValue 1000 */
  readonly maxMessageChars?: number;
  /** The most targets a report may have (a {@link ReportTooLargeError} past it). @defaultValue 50000 */
  readonly maxTargets?: number;
  /**
   * The rate-limit waits and throttling retries of a target, when the run recorded them (see
   * {@link TargetTimingRecorder}). @defaultValue none recorded
   */
  readonly timing?: (result: FanOutResult<unknown, unknown>) => TargetTiming | undefined;
  /**
   * What to do about a failure whose error carries no hint (an `AwsClientError`'s `hint` comes
   * first). @defaultValue a hint for each error class
   */
  readonly hint?: (failure: FanOutFailure<unknown>) => string | undefined;
}

/** The hints of the error classes of `@cs/regional`, used when the error carries none. */
const CLASS_HINTS: Readonly<Record<string, string>> = {
  'access-denied': 'the credentials lack the permission: check the IAM policies and role trust',
  'explicit-deny': 'a policy (SCP, permission boundary or IAM) denies the call explicitly',
  'region-not-enabled':
    'the region is not enabled for the account: enable it, or remove it from the filter',
  'invalid-credentials':
    'the region is not enabled for the account, or the credentials are wrong: remove the region from the filter, or check the credentials',
  'expired-credentials': 'the credentials expired: refresh them (or check the clock)',
  throttled: 'AWS throttled the calls: lower the rate limit or the concurrency',
  'not-found': 'the item does not exist',
  network: 'the endpoint could not be reached: check the network, the proxy or EndpointUrl',
  aborted: 'the run was cancelled before this target finished',
  'account-not-active': 'the account is suspended or closed: it is never called',
  other: 'see the message',
};

/** The classes, in the order of their colours in the style sheet (`k0` ... `k10`). */
const CLASSES = Object.keys(CLASS_HINTS);

const STATUS_CLASS = { succeeded: 's', failed: 'f', skipped: 'k' } as const;
const TARGET_LIMIT_IN_GROUP = 200;
const MESSAGES_IN_GROUP = 10;
const SLOWEST = 20;
const TIMING_ROWS = 50;
/** The grid's geometry, in CSS pixels: the account column and a cell (16 px and its margin). */
const ACCOUNT_WIDTH = 280;
const CELL_WIDTH = 18;
const ROWS_PER_CHUNK = 25;
/** Histogram buckets: upper bounds in milliseconds (the last is open). */
const BUCKETS = [10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 60_000, Infinity];

type Result = FanOutResult<unknown, unknown>;

interface Target {
  readonly result: Result;
  readonly message: string | undefined;
  readonly hint: string | undefined;
  /** The hint's number: cells show it from the style sheet (`.h3::before`), once per hint. */
  readonly hintId: number | undefined;
  readonly timing: TargetTiming | undefined;
}

interface AccountRow {
  readonly key: string;
  readonly id: string | undefined;
  alias: string | undefined;
  readonly cells: Map<string, Target[]>;
  failed: number;
  skipped: number;
}

/** Escapes for an attribute value or any text. */
const e = (value: string): string => escapeHtml(value);
/** Escapes for text only (quotes stay as they are: smaller pages). */
const text = (value: string): string => escapeText(value);

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;

/**
 * A CSS string's content: every character but letters, digits, space and `,.:;()-_/` as a hex
 * escape, so that nothing in it can end the string or the style element.
 */
const cssString = (value: string): string => {
  let out = '';
  for (const c of value) {
    out += /[A-Za-z0-9 ,.:;()\-_/]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `;
  }
  return out;
};

/** A duration for people: `840 ms`, `2.4 s`, `3 min 05 s`. */
const ms = (value: number): string => {
  if (!Number.isFinite(value)) return '?';
  if (value < 1_000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1_000).toFixed(value < 10_000 ? 2 : 1)} s`;
  const s = Math.round(value / 1_000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
};

/**
 * The message of a failure: of an `AwsClientError`, AWS's own (its message repeats the target, the
 * code and the hint, which the cell shows already); else the error's.
 */
const messageOf = (error: unknown): string => {
  if (isAwsClientError(error) && error.cause instanceof Error && error.cause.message !== '') {
    return error.cause.message;
  }
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return redactedJson(error) ?? String(error);
};

const classIndex = (errorClass: string): number => {
  const i = CLASSES.indexOf(errorClass);
  return i < 0 ? CLASSES.length - 1 : i;
};

const accountLabel = (row: Pick<AccountRow, 'alias' | 'id'>): string =>
  row.alias !== undefined && row.alias !== row.id
    ? `${row.alias} (${row.id ?? 'unknown'})`
    : (row.id ?? 'unknown');

const targetLabel = (r: Result): string =>
  `${r.alias ?? r.accountId ?? 'unknown'}${r.region === undefined ? '' : `/${r.region}`}`;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const bound = (name: string, value: number | undefined, fallback: number): number => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0) {
    throw new RangeError(`${name} must be a whole number of 0 or more, not ${String(value)}`);
  }
  return v;
};

/**
 * Renders a fan-out report as one self-contained HTML page (styles inline, no script, a Content
 * Security Policy that forbids every fetch): a grid of accounts (rows) × regions (columns) with a
 * cell per target coloured by status and error class, whose details (message, hint, duration,
 * rate-limit waits, a small value) show on hover and on keyboard focus; the failures grouped by
 * class with their hints and targets; where the time went (a histogram of durations, the slowest
 * targets, each region's durations, rate-limit waits and throttling per account-region when
 * recorded); the run's command, configuration file, start, end and counts. Every text from AWS or
 * the configuration is escaped; secret-named fields of values and key-shaped strings are redacted.
 *
 * @param report - the report of a run (`set.map(...)`, or `new FanOutReport(results, summary)`)
 * @param options - the run's context and what to include
 * @returns the HTML text (UTF-8)
 * @throws {@link ReportTooLargeError} when the report has more than `maxTargets` targets
 * @throws RangeError for a bound that is not a whole number of 0 or more
 * @example
 * ```ts
 * const report = await set.map((ra) => ra.callClient('sts', 'GetCallerIdentity'));
 * await writeFile('run.html', renderReportHtml(report, { command: 'whoami', startedAt }));
 * ```
 * @public
 */
export function renderReportHtml(
  report: FanOutReport<unknown, unknown>,
  options: ReportHtmlOptions = {},
): string {
  const maxTargets = bound('maxTargets', options.maxTargets, 50_000);
  const smallValueChars = bound('smallValueChars', options.smallValueChars, 200);
  const maxValueChars = bound('maxValueChars', options.maxValueChars, 4_000);
  const maxMessageChars = bound('maxMessageChars', options.maxMessageChars, 1_000);
  if (report.results.length > maxTargets) {
    throw new ReportTooLargeError(report.results.length, maxTargets);
  }
  const valueLimit = options.reportValues === true ? maxValueChars : smallValueChars;
  const hintOf = (failure: FanOutFailure<unknown>): string | undefined =>
    (isAwsClientError(failure.error) ? failure.error.hint : undefined) ??
    options.hint?.(failure) ??
    CLASS_HINTS[failure.errorClass] ??
    CLASS_HINTS.other;

  const hintIds = new Map<string, number>();
  const targets: Target[] = report.results.map((result) => {
    const timing = options.timing?.(result);
    if (result.ok) {
      return { result, message: undefined, hint: undefined, hintId: undefined, timing };
    }
    const found = hintOf(result);
    const hint = found === undefined ? undefined : redactText(found);
    let hintId = hint === undefined ? undefined : hintIds.get(hint);
    if (hint !== undefined && hintId === undefined) {
      hintId = hintIds.size;
      hintIds.set(hint, hintId);
    }
    return {
      result,
      message: cut(redactText(messageOf(result.error)), maxMessageChars),
      hint,
      hintId,
      timing,
    };
  });
  const hintRules = [...hintIds]
    .map(([hint, id]) => `.h${id}::before{content:"${cssString(hint)}"}`)
    .join('');

  const valueText = (r: Result): string | undefined => {
    if (!r.ok || r.value === undefined) return undefined;
    const json = redactedJson(r.value);
    if (json === undefined) return undefined;
    if (json.length <= smallValueChars) return json;
    if (options.reportValues !== true) return undefined;
    return cut(json, valueLimit);
  };

  const body = [
    header(report, options),
    grid(targets, valueText),
    failures(targets),
    time(targets, report.summary.durationMs),
  ].join('\n');
  const title = options.title ?? 'cs-aws run report';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${STYLE}${hintRules}</style>
</head>
<body>
<h1>${e(title)}</h1>
${body}
</body>
</html>
`;
}

function header(report: FanOutReport<unknown, unknown>, options: ReportHtmlOptions): string {
  const s = report.summary;
  const started = options.startedAt;
  const ended =
    options.endedAt ??
    (started === undefined ? undefined : new Date(started.getTime() + s.durationMs));
  const rows: [string, string][] = [];
  if (options.command !== undefined) rows.push(['command', `<code>${e(options.command)}</code>`]);
  if (options.configFile !== undefined) {
    rows.push(['configuration', `<code>${e(options.configFile)}</code>`]);
  }
  if (started !== undefined) rows.push(['started', e(started.toISOString())]);
  if (ended !== undefined) rows.push(['ended', e(ended.toISOString())]);
  rows.push(['duration', e(ms(s.durationMs))]);
  if (s.stopped !== undefined) rows.push(['stopped early', e(s.stopped)]);
  const count = (label: string, n: number, cls: string): string =>
    `<li class="${cls}"><b>${n}</b> ${label}</li>`;
  return `<section id="run" aria-label="the run">
<dl class="meta">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<ul class="counts">${count('targets', report.results.length, '')}${count('succeeded', s.succeeded, 'cs')}${count('failed', s.failed, 'cf')}${count('skipped', s.skipped, 'ck')}</ul>
<nav><a href="#grid">accounts × regions</a> · <a href="#failures">failures by class</a> · <a href="#time">where the time went</a></nav>
</section>`;
}

function legend(targets: readonly Target[]): string {
  const seen = new Map<string, number>();
  for (const t of targets) {
    if (!t.result.ok) {
      const key = `${t.result.status}:${t.result.errorClass}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const succeeded = targets.filter((t) => t.result.ok).length;
  const items = [`<li><span class="t s"></span> succeeded (${succeeded})</li>`];
  for (const [key, n] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const [status, errorClass] = key.split(':') as [string, string];
    const cls =
      status === 'failed' ? `t f k${classIndex(errorClass)}` : `t k k${classIndex(errorClass)}`;
    items.push(`<li><span class="${cls}"></span> ${e(status)}: ${e(errorClass)} (${n})</li>`);
  }
  return `<ul class="legend">${items.join('')}</ul>`;
}

/**
 * A target's cell: its details are lines of text in one element (`white-space: pre-line`), so that
 * 10,000 cells stay about 30,000 elements.
 */
function cell(t: Target, valueText: (r: Result) => string | undefined): string {
  const r = t.result;
  const cls = r.ok ? 't s' : `t ${STATUS_CLASS[r.status]} k${classIndex(r.errorClass)}`;
  const lines = [
    `${text(r.alias ?? r.accountId ?? 'unknown')} ${text(r.accountId ?? '')} · ${text(r.region ?? 'no region')}`,
  ];
  if (r.ok) {
    lines.push(`succeeded in ${ms(r.durationMs)}`);
  } else {
    const code = r.errorCode === undefined ? '' : ` · ${text(r.errorCode)}`;
    lines.push(`${r.status}: ${text(r.errorClass)}${code} · ${ms(r.durationMs)}`);
    lines.push(text(t.message ?? ''));
    if (t.hintId !== undefined) lines.push(`<i class="h${t.hintId}"></i>`);
  }
  const timing = t.timing;
  if (timing !== undefined && (timing.rateLimitWaitMs > 0 || timing.throttled > 0)) {
    lines.push(
      `waited ${ms(timing.rateLimitWaitMs)} for rate limits · ${timing.throttled} throttled · ${timing.retries} retries`,
    );
  }
  const value = valueText(r);
  if (value !== undefined) lines.push(`<code>${text(value)}</code>`);
  const label = `${r.region ?? 'no region'}: ${r.status}`;
  return `<div tabindex="0" class="${cls}" data-status="${r.status}" aria-label="${e(label)}"><div class="d">${lines.join('\n')}</div></div>`;
}

function grid(targets: readonly Target[], valueText: (r: Result) => string | undefined): string {
  const regions = [...new Set(targets.map((t) => t.result.region ?? ''))].sort((a, b) =>
    a.localeCompare(b),
  );
  const rows = new Map<string, AccountRow>();
  for (const t of targets) {
    const r = t.result;
    const key = r.accountId ?? r.alias ?? 'unknown';
    let row = rows.get(key);
    if (row === undefined) {
      row = { key, id: r.accountId, alias: r.alias, cells: new Map(), failed: 0, skipped: 0 };
      rows.set(key, row);
    }
    row.alias ??= r.alias;
    const region = r.region ?? '';
    const list = row.cells.get(region);
    if (list === undefined) row.cells.set(region, [t]);
    else list.push(t);
    if (r.status === 'failed') row.failed += 1;
    if (r.status === 'skipped') row.skipped += 1;
  }
  const byName = (a: AccountRow, b: AccountRow): number =>
    accountLabel(a).localeCompare(accountLabel(b)) || a.key.localeCompare(b.key);
  const all = [...rows.values()];
  const groups: [string, AccountRow[], boolean][] = [
    [
      'with failures',
      all.filter((r) => r.failed > 0).sort((a, b) => b.failed - a.failed || byName(a, b)),
      true,
    ],
    [
      'with skipped targets only',
      all.filter((r) => r.failed === 0 && r.skipped > 0).sort(byName),
      true,
    ],
    ['where every target succeeded', all.filter((r) => r.failed === 0 && r.skipped === 0), false],
  ];
  const ok = groups[2]![1].sort(byName);
  groups[2]![2] = ok.length <= 100;

  // Fixed column widths (table-layout: fixed), so that the header and every chunk of rows line up
  // and the browser never measures 10,000 cells to lay the grid out.
  const slots = regions.map((region) =>
    Math.max(1, ...all.map((row) => row.cells.get(region)?.length ?? 0)),
  );
  const widths = [ACCOUNT_WIDTH, ...slots.map((n) => CELL_WIDTH * n + 4)];
  const tableStyle = `style="width:${widths.reduce((x, y) => x + y, 0)}px"`;
  const cols = `<colgroup>${widths.map((w) => `<col style="width:${w}px">`).join('')}</colgroup>`;
  const head = `<table class="grid head" ${tableStyle}>${cols}<thead><tr><th class="a">account</th>${regions
    .map((region) => `<th class="r"><span>${e(region === '' ? 'no region' : region)}</span></th>`)
    .join('')}</tr></thead></table>`;
  const rowHtml = (row: AccountRow): string => {
    const cells = regions
      .map((region) => {
        const here = row.cells.get(region);
        return here === undefined
          ? '<td class="n"></td>'
          : `<td>${here.map((t) => cell(t, valueText)).join('')}</td>`;
      })
      .join('');
    const alias =
      row.alias !== undefined && row.alias !== row.id
        ? `${e(row.alias)} <small>${e(row.id ?? 'unknown')}</small>`
        : e(row.id ?? row.key);
    return `<tr><th class="a" scope="row">${alias}</th>${cells}</tr>`;
  };
  const tables = groups
    .filter(([, list]) => list.length > 0)
    .map(([label, list, open]) => {
      // Rows in tables of 25: small tables lay out faster than one of 500 rows.
      const chunks: string[] = [];
      for (let i = 0; i < list.length; i += ROWS_PER_CHUNK) {
        const rows = list.slice(i, i + ROWS_PER_CHUNK);
        chunks.push(
          `<table class="grid" ${tableStyle}>${cols}<tbody>
${rows.map(rowHtml).join('\n')}
</tbody></table>`,
        );
      }
      return `<details${open ? ' open' : ''}><summary>${list.length} account${list.length === 1 ? '' : 's'} ${label}</summary>
<div class="scroll">${head}
${chunks.join('\n')}
</div></details>`;
    });
  return `<section id="grid"><h2>Accounts × regions</h2>
<p class="note">One cell per target. Hover over a cell, or move to it with Tab, to see its details.</p>
${legend(targets)}
${tables.join('\n')}
</section>`;
}

function failures(targets: readonly Target[]): string {
  const groups = new Map<
    string,
    {
      status: string;
      errorClass: string;
      codes: Set<string>;
      hints: Set<string>;
      messages: Map<string, number>;
      targets: string[];
    }
  >();
  for (const t of targets) {
    const r = t.result;
    if (r.ok) continue;
    const key = `${r.status}:${r.errorClass}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        status: r.status,
        errorClass: r.errorClass,
        codes: new Set(),
        hints: new Set(),
        messages: new Map(),
        targets: [],
      };
      groups.set(key, g);
    }
    if (r.errorCode !== undefined) g.codes.add(r.errorCode);
    if (t.hint !== undefined) g.hints.add(t.hint);
    const message = t.message ?? '';
    g.messages.set(message, (g.messages.get(message) ?? 0) + 1);
    g.targets.push(targetLabel(r));
  }
  if (groups.size === 0) {
    return '<section id="failures"><h2>Failures by class</h2><p>No target failed or was skipped.</p></section>';
  }
  const sorted = [...groups.values()].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'failed' ? -1 : 1) ||
      b.targets.length - a.targets.length ||
      a.errorClass.localeCompare(b.errorClass),
  );
  const parts = sorted.map((g) => {
    const cls = `t ${g.status === 'failed' ? 'f' : 'k'} k${classIndex(g.errorClass)}`;
    const names = g.targets.sort((a, b) => a.localeCompare(b));
    const shown = names.slice(0, TARGET_LIMIT_IN_GROUP).map(e).join(', ');
    const more =
      names.length > TARGET_LIMIT_IN_GROUP
        ? ` and ${names.length - TARGET_LIMIT_IN_GROUP} more`
        : '';
    const messages = [...g.messages]
      .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
      .slice(0, MESSAGES_IN_GROUP)
      .map(([message, n]) => `<li><span class="n">${n}×</span> ${text(message)}</li>`)
      .join('');
    const otherMessages =
      g.messages.size > MESSAGES_IN_GROUP
        ? `<li>and ${g.messages.size - MESSAGES_IN_GROUP} other messages</li>`
        : '';
    return `<article class="group">
<h3><span class="${cls}"></span> ${e(g.status)}: ${e(g.errorClass)} <small>${names.length} target${names.length === 1 ? '' : 's'}${g.codes.size > 0 ? ` · ${[...g.codes].sort().map(e).join(', ')}` : ''}</small></h3>
${[...g.hints].map((h) => `<p class="hint">${text(h)}</p>`).join('')}
<ul class="messages">${messages}${otherMessages}</ul>
<p class="targets">${shown}${more}</p>
</article>`;
  });
  return `<section id="failures"><h2>Failures by class</h2>
${parts.join('\n')}
</section>`;
}

function time(targets: readonly Target[], runMs: number): string {
  const durations = targets.map((t) => t.result.durationMs).sort((a, b) => a - b);
  const total = durations.reduce((a, b) => a + b, 0);
  const stats = `<p>${targets.length} targets took ${ms(total)} of work in a run of ${ms(runMs)}: median ${ms(percentile(durations, 50))}, 90th percentile ${ms(percentile(durations, 90))}, 99th percentile ${ms(percentile(durations, 99))}, slowest ${ms(durations.at(-1) ?? 0)}.</p>`;

  // Histogram of durations, stacked by status.
  const counts = BUCKETS.map(() => ({ succeeded: 0, failed: 0, skipped: 0 }));
  for (const t of targets) {
    const i = BUCKETS.findIndex((b) => t.result.durationMs < b);
    counts[i < 0 ? BUCKETS.length - 1 : i]![t.result.status] += 1;
  }
  const largest = Math.max(1, ...counts.map((c) => c.succeeded + c.failed + c.skipped));
  const bucketLabel = (i: number): string =>
    i === BUCKETS.length - 1
      ? `≥ ${ms(BUCKETS[i - 1]!)}`
      : i === 0
        ? `< ${ms(BUCKETS[0]!)}`
        : `${ms(BUCKETS[i - 1]!)} – ${ms(BUCKETS[i]!)}`;
  const bar = (n: number, cls: string): string =>
    n === 0
      ? ''
      : `<span class="${cls}" style="width:${((100 * n) / largest).toFixed(2)}%"></span>`;
  const histogram = counts
    .map((c, i) => {
      const n = c.succeeded + c.failed + c.skipped;
      return `<tr><th>${e(bucketLabel(i))}</th><td><div class="bar">${bar(c.succeeded, 'bs')}${bar(c.failed, 'bf')}${bar(c.skipped, 'bk')}</div></td><td class="num">${n}</td></tr>`;
    })
    .join('');

  const slowest = [...targets]
    .sort((a, b) => b.result.durationMs - a.result.durationMs)
    .slice(0, SLOWEST)
    .map(
      (t) =>
        `<tr><td>${e(targetLabel(t.result))}</td><td>${t.result.status}</td><td class="num">${ms(t.result.durationMs)}</td></tr>`,
    )
    .join('');

  const regions = new Map<string, number[]>();
  for (const t of targets) {
    const region = t.result.region ?? 'no region';
    const list = regions.get(region);
    if (list === undefined) regions.set(region, [t.result.durationMs]);
    else list.push(t.result.durationMs);
  }
  const byRegion = [...regions]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, list]) => {
      list.sort((a, b) => a - b);
      return `<tr><td>${e(region)}</td><td class="num">${list.length}</td><td class="num">${ms(percentile(list, 50))}</td><td class="num">${ms(percentile(list, 90))}</td><td class="num">${ms(list.at(-1) ?? 0)}</td></tr>`;
    })
    .join('');

  return `<section id="time"><h2>Where the time went</h2>
${stats}
<h3>Durations of the targets</h3>
<table class="hist"><tbody>${histogram}</tbody></table>
<div class="cols">
<div><h3>The slowest targets</h3><table class="list"><thead><tr><th>target</th><th>status</th><th>duration</th></tr></thead><tbody>${slowest}</tbody></table></div>
<div><h3>By region</h3><table class="list"><thead><tr><th>region</th><th>targets</th><th>median</th><th>90th pct</th><th>slowest</th></tr></thead><tbody>${byRegion}</tbody></table></div>
</div>
${waits(targets)}
</section>`;
}

function waits(targets: readonly Target[]): string {
  const recorded = targets.filter((t) => t.timing !== undefined);
  if (recorded.length === 0) {
    return '<h3>Rate-limit waits and throttling</h3><p>The run recorded no rate-limit waits or throttling retries.</p>';
  }
  let waitMs = 0;
  let waited = 0;
  let throttled = 0;
  let retries = 0;
  let requests = 0;
  for (const t of recorded) {
    const x = t.timing!;
    waitMs += x.rateLimitWaitMs;
    waited += x.rateLimitWaits;
    throttled += x.throttled;
    retries += x.retries;
    requests += x.requests;
  }
  const busy = recorded
    .filter(
      (t) => t.timing!.rateLimitWaitMs > 0 || t.timing!.throttled > 0 || t.timing!.retries > 0,
    )
    .sort(
      (a, b) =>
        b.timing!.rateLimitWaitMs - a.timing!.rateLimitWaitMs ||
        b.timing!.throttled - a.timing!.throttled ||
        targetLabel(a.result).localeCompare(targetLabel(b.result)),
    );
  const rows = busy
    .slice(0, TIMING_ROWS)
    .map((t) => {
      const x = t.timing!;
      return `<tr><td>${e(targetLabel(t.result))}</td><td class="num">${x.requests}</td><td class="num">${ms(x.rateLimitWaitMs)}</td><td class="num">${x.rateLimitWaits}</td><td class="num">${x.throttled}</td><td class="num">${x.retries}</td><td class="num">${ms(t.result.durationMs)}</td></tr>`;
    })
    .join('');
  const more =
    busy.length > TIMING_ROWS
      ? `<p>and ${busy.length - TIMING_ROWS} more targets that waited.</p>`
      : '';
  return `<h3>Rate-limit waits and throttling</h3>
<p>${requests} requests; ${waited} waited ${ms(waitMs)} in all for rate-limit slots; AWS throttled ${throttled}; the SDK retried ${retries}.</p>
${
  rows === ''
    ? '<p>No target waited for a rate limit or was throttled.</p>'
    : `<table class="list"><thead><tr><th>account/region</th><th>requests</th><th>waited</th><th>waits</th><th>throttled</th><th>retries</th><th>duration</th></tr></thead><tbody>${rows}</tbody></table>${more}`
}`;
}

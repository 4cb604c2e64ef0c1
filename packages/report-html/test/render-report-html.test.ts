import { AwsClientError, FanOutReport } from '@cs/regional';
import type { FanOutFailure, FanOutResult, FanOutSuccess, FanOutSummary } from '@cs/regional';
import { describe, expect, it } from 'vitest';
import { isReportTooLargeError, renderReportHtml, ReportTooLargeError } from '../src/index';

const EVIL = `<script>alert("x")</script><img src=x onerror=alert(1)>'&amp;`;

const success = (over: Partial<FanOutSuccess<unknown>> = {}): FanOutSuccess<unknown> => ({
  ok: true,
  status: 'succeeded',
  accountId: '111111111111',
  alias: 'prod',
  region: 'us-east-1',
  durationMs: 120,
  target: undefined,
  value: { arn: 'arn:aws:sts::111111111111:assumed-role/Reader/x' },
  ...over,
});

const failure = (over: Partial<FanOutFailure> = {}): FanOutFailure => ({
  ok: false,
  status: 'failed',
  accountId: '111111111111',
  alias: 'prod',
  region: 'eu-west-1',
  durationMs: 40,
  target: undefined,
  error: new Error('User is not authorized to perform sts:GetCallerIdentity'),
  errorClass: 'access-denied',
  errorCode: 'AccessDenied',
  ...over,
});

const reportOf = (
  results: FanOutResult<unknown>[],
  over: Partial<FanOutSummary> = {},
): FanOutReport<unknown> => {
  const count = (s: string): number => results.filter((r) => r.status === s).length;
  return new FanOutReport(results, {
    total: results.length,
    completed: results.length,
    succeeded: count('succeeded'),
    failed: count('failed'),
    skipped: count('skipped'),
    running: 0,
    byClass: {},
    stopped: undefined,
    durationMs: 1_500,
    ...over,
  });
};

/** The text of the page without the markup: what a reader sees, entities decoded. */
const decode = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * The tags of the page and their attributes. Text never holds a raw `<` and attribute values never
 * a raw `"` or `>`, so every `<` opens a tag of the renderer that ends at the next `>`; a tag whose
 * attributes do not read as `name="value"` pairs fails the test.
 */
const tagsOf = (html: string): { tags: Set<string>; attributes: Set<string> } => {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const m of html.matchAll(/<(\/?)([^\s>/]*)([^>]*)>/g)) {
    if (m[2] === '!doctype') continue;
    tags.add(m[2]!.toLowerCase());
    const rest = m[3]!;
    expect(rest, m[0]).toMatch(/^(\s+[\w-]+(="[^"<]*")?)*\s*$/);
    for (const a of rest.replace(/="[^"]*"/g, '').matchAll(/\s([\w-]+)/g)) {
      attributes.add(a[1]!.toLowerCase());
    }
  }
  return { tags, attributes };
};

const RENDERER_TAGS = new Set(
  'html head meta title style body h1 h2 h3 section dl dt dd code ul li b nav a p details summary div table colgroup col thead tbody tr th td span small i article'.split(
    ' ',
  ),
);
const RENDERER_ATTRIBUTES = new Set(
  'lang charset http-equiv content name href id class tabindex data-status aria-label scope style open'.split(
    ' ',
  ),
);

/** The declarations of a rule of the page's style sheet, CSS escapes decoded. */
const cssRule = (html: string, selector: string): string => {
  const style = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
  const at = style.indexOf(`${selector}{`);
  expect(at, selector).toBeGreaterThan(0);
  // The body runs to the first `}` that is not inside a string: strings hold no raw `"` or `}`.
  const body = style.slice(at + selector.length + 1).match(/^(?:"[^"]*"|[^}"])*/)![0];
  return body.replace(/\\([0-9a-f]{1,6}) ?/g, (_, hex: string) =>
    String.fromCodePoint(parseInt(hex, 16)),
  );
};

describe('renderReportHtml escaping', () => {
  it('keeps every field that comes from AWS or the configuration as text, never markup', () => {
    const report = reportOf([
      success({
        accountId: `${EVIL}1`,
        alias: `${EVIL}alias`,
        region: `${EVIL}region`,
        value: { note: EVIL },
      }),
      failure({
        accountId: `${EVIL}2`,
        alias: `${EVIL}alias2`,
        region: `${EVIL}region2`,
        error: new Error(`${EVIL}message`),
        errorClass: `${EVIL}class` as FanOutFailure['errorClass'],
        errorCode: `${EVIL}code`,
      }),
      failure({
        status: 'skipped',
        accountId: '333333333333',
        region: 'us-east-1',
        error: `${EVIL}thrown string`,
        errorClass: 'other',
      }),
    ]);
    const html = renderReportHtml(report, {
      title: `${EVIL}title`,
      command: `${EVIL}command`,
      configFile: `${EVIL}config.yaml`,
      hint: () => `${EVIL}hint`,
    });
    // No tag or attribute that the renderer does not write itself.
    const { tags, attributes } = tagsOf(html);
    expect([...tags].filter((t) => !RENDERER_TAGS.has(t))).toEqual([]);
    expect([...attributes].filter((a) => !RENDERER_ATTRIBUTES.has(a))).toEqual([]);
    // ...and each field is there, as text.
    const text = decode(html);
    for (const field of [
      '1',
      'alias',
      'region',
      '2',
      'alias2',
      'region2',
      'message',
      'class',
      'code',
      'thrown string',
      'title',
      'command',
      'config.yaml',
      'hint',
    ]) {
      expect(text, field).toContain(`${EVIL}${field}`);
    }
    // The value is JSON text: its quotes escaped, then shown.
    expect(text).toContain(JSON.stringify({ note: EVIL }));
  });

  it('escapes quotes in attribute values, so that a region cannot add an attribute', () => {
    const html = renderReportHtml(reportOf([failure({ region: `x" onfocus="alert(1)` })]));
    expect([...tagsOf(html).attributes]).not.toContain('onfocus');
    expect(html).toContain('aria-label="x&quot; onfocus=&quot;alert(1): failed"');
  });

  it('forbids every fetch with a Content-Security-Policy and links nothing outside the page', () => {
    const html = renderReportHtml(reportOf([success(), failure()]));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/\s(src|srcset|action|poster|data)=/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.every((h) => h!.startsWith('#'))).toBe(true);
    expect(html).not.toMatch(/@import|url\(/i);
  });
});

describe('renderReportHtml content', () => {
  const results = [
    success(),
    success({ region: 'eu-west-1', accountId: '222222222222', alias: 'staging' }),
    failure(),
    failure({
      status: 'skipped',
      accountId: '555555555555',
      alias: 'legacy',
      region: 'us-east-1',
      durationMs: 0,
      error: new Error('the account is suspended'),
      errorClass: 'account-not-active',
      errorCode: undefined,
    }),
  ];

  it('gives one focusable cell per target with its status, in a row per account and a column per region', () => {
    const html = renderReportHtml(reportOf(results));
    const cells = [...html.matchAll(/<div tabindex="0" class="t ([^"]*)" data-status="(\w+)"/g)];
    expect(cells.map((c) => c[2]).sort()).toEqual(['failed', 'skipped', 'succeeded', 'succeeded']);
    expect(cells.find((c) => c[2] === 'failed')![1]).toBe('f k0'); // access-denied's colour
    // Accounts with failures come first, then with skips only, then the rest.
    const order = [
      '1 account with failures',
      '1 account with skipped targets only',
      '1 account where every target succeeded',
    ];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html.match(/<th class="r">/g)?.length).toBe(2 * 3); // 2 regions, in each of 3 tables
  });

  it('shows a failed cell’s message, hint and duration in its details', () => {
    const html = renderReportHtml(reportOf(results));
    const failed = html.match(/data-status="failed"[^]*?<\/div><\/div>/)![0];
    const text = decode(failed);
    expect(text).toContain('User is not authorized to perform sts:GetCallerIdentity');
    expect(text).toContain('failed: access-denied · AccessDenied · 40 ms');
    // The hint, written once in the style sheet and shown by the cell's `<i class="hN">`.
    const id = failed.match(/<i class="h(\d+)"><\/i>/)![1];
    expect(cssRule(html, `.h${id}::before`)).toContain('the credentials lack the permission');
  });

  it('keeps a hint inside its CSS string, whatever it holds', () => {
    const hint = `</style><script>alert(1)</script>"} body{display:none} \\`;
    const html = renderReportHtml(reportOf([failure()]), { hint: () => hint });
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(cssRule(html, '.h0::before')).toBe(`content:"${hint}"`);
  });

  it('takes the hint of an AwsClientError before the class hint', () => {
    const error = new AwsClientError(
      Object.assign(new Error('No such entity'), { name: 'NoSuchEntity' }),
      { region: 'us-east-1', service: 'iam', operation: 'GetRole' },
    );
    const html = renderReportHtml(
      reportOf([failure({ error, errorClass: 'not-found', errorCode: 'NoSuchEntity' })]),
      { hint: () => 'not this one' },
    );
    expect(error.hint).toBeDefined();
    expect(decode(html)).toContain(error.hint!);
    expect(html).not.toContain('not this one');
  });

  it('groups failures by class with their hints, messages and targets', () => {
    const html = renderReportHtml(reportOf(results));
    const section = decode(html.slice(html.indexOf('id="failures"'), html.indexOf('id="time"')));
    expect(section).toMatch(/failed: access-denied\s+1 target · AccessDenied/);
    expect(section).toMatch(/skipped: account-not-active\s+1 target/);
    expect(section).toContain('prod/eu-west-1');
    expect(section).toContain('legacy/us-east-1');
    expect(section).toContain('the account is suspended or closed');
    expect(section.indexOf('failed:')).toBeLessThan(section.indexOf('skipped:'));
  });

  it('shows the command, configuration file, start, end and counts', () => {
    const startedAt = new Date('2026-01-02T03:04:05.000Z');
    const html = renderReportHtml(reportOf(results), {
      command: 'cs-aws whoami',
      configFile: 'prod.yaml',
      startedAt,
    });
    const text = decode(html);
    expect(text).toContain('cs-aws whoami');
    expect(text).toContain('prod.yaml');
    expect(text).toContain('2026-01-02T03:04:05.000Z');
    expect(text).toContain('2026-01-02T03:04:06.500Z'); // start + the summary's 1,500 ms
    expect(text).toMatch(/4\s+targets\s+2\s+succeeded\s+1\s+failed\s+1\s+skipped/);
  });

  it('shows the durations and, when recorded, the rate-limit waits and throttling of each target', () => {
    const withTiming = renderReportHtml(reportOf(results), {
      timing: (r) =>
        r.region === 'us-east-1' && r.status === 'succeeded'
          ? { requests: 4, rateLimitWaitMs: 1_250, rateLimitWaits: 2, throttled: 3, retries: 3 }
          : { requests: 1, rateLimitWaitMs: 0, rateLimitWaits: 0, throttled: 0, retries: 0 },
    });
    const text = decode(withTiming);
    expect(text).toContain('waited 1.25 s for rate limits · 3 throttled · 3 retries');
    expect(text).toMatch(
      /7 requests; 2 waited 1\.25 s in all for rate-limit slots; AWS throttled 3; the SDK retried 3/,
    );
    expect(text).toMatch(/prod\/us-east-1\s+4\s+1\.25 s\s+2\s+3\s+3\s+120 ms/);
    expect(text).toMatch(/median \d+ ms/);
    const without = decode(renderReportHtml(reportOf(results)));
    expect(without).toContain('The run recorded no rate-limit waits or throttling retries.');
  });
});

describe('renderReportHtml values and secrets', () => {
  const big = { Items: Array.from({ length: 50 }, (_, i) => ({ Name: `item-${i}` })) };

  it('includes a small value, and a large one only with reportValues (cut at maxValueChars)', () => {
    const results = [success(), success({ region: 'eu-west-1', value: big })];
    const plain = decode(renderReportHtml(reportOf(results)));
    expect(plain).toContain('arn:aws:sts::111111111111:assumed-role/Reader/x');
    expect(plain).not.toContain('item-0');
    const full = decode(renderReportHtml(reportOf(results), { reportValues: true }));
    expect(full).toContain('item-49');
    const cut = decode(
      renderReportHtml(reportOf(results), { reportValues: true, maxValueChars: 300 }),
    );
    expect(cut).toContain('item-0');
    expect(cut).not.toContain('item-49');
    expect(cut).toMatch(/… \(\d+ more characters\)/);
  });

  it('never puts a secret in the report: secret-named fields, key ids and secret-shaped strings are redacted', () => {
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY0EXAMPLEKEY';
    const value = {
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE000000001',
        SecretAccessKey: 'SECRETFIXTURE-value',
        SessionToken: 'SECRETFIXTURE-token',
      },
      Password: 'hunter2',
      Note: `key ${secretKey}`,
    };
    const html = renderReportHtml(
      reportOf([
        success({ value }),
        failure({ error: new Error(`signature of AKIAIOSFODNN7EXAMPLE with ${secretKey}`) }),
      ]),
      { reportValues: true },
    );
    expect(html).not.toContain('SECRETFIXTURE');
    expect(html).not.toContain('hunter2');
    expect(html).not.toContain(secretKey);
    expect(html).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(html).not.toContain('ASIAEXAMPLE000000001');
    expect(decode(html)).toContain('"Credentials":"[redacted]"');
  });

  it('cuts long messages at maxMessageChars', () => {
    const html = renderReportHtml(
      reportOf([failure({ error: new Error(`start ${'x '.repeat(2_000)} end`) })]),
      { maxMessageChars: 100 },
    );
    expect(html).toContain('start');
    expect(html).not.toContain(' end');
    expect(html).toMatch(/… \(\d+ more characters\)/);
  });
});

describe('renderReportHtml bounds', () => {
  it('refuses a report larger than maxTargets with a ReportTooLargeError', () => {
    const report = reportOf([success(), success({ region: 'eu-west-1' })]);
    let caught: unknown;
    try {
      renderReportHtml(report, { maxTargets: 1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReportTooLargeError);
    expect(isReportTooLargeError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/2 targets, more than the 1 .*maxTargets/);
  });

  it('refuses a bound that is not a whole number', () => {
    expect(() => renderReportHtml(reportOf([success()]), { maxValueChars: -1 })).toThrow(
      /maxValueChars must be a whole number of 0 or more/,
    );
  });

  it('does not change the report it is given', () => {
    const results = [failure(), success()];
    const report = reportOf(results);
    const before = JSON.stringify(report.results);
    renderReportHtml(report);
    expect(JSON.stringify(report.results)).toBe(before);
    expect(report.results[0]).toBe(results[0]);
  });
});

/**
 * The errors of `@cs/report-html`.
 */

/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package agrees.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * A report has more targets than the page may show (`maxTargets`): past it the file would be too
 * large to open quickly. Render a filtered report (`new FanOutReport(report.failures(), ...)`), or
 * raise `maxTargets`.
 *
 * @example
 * ```ts
 * try { renderReportHtml(report); } catch (e) { if (isReportTooLargeError(e)) console.warn(e.message); }
 * ```
 * @public
 */
export class ReportTooLargeError extends Error {
  override readonly name = 'ReportTooLargeError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['ReportTooLargeError'];
  /**
   * @param targets - how many targets the report has
   * @param maxTargets - the bound it exceeds
   */
  constructor(
    readonly targets: number,
    readonly maxTargets: number,
  ) {
    super(
      `the report has ${targets} targets, more than the ${maxTargets} an HTML report shows (maxTargets): render the failures only, or raise maxTargets`,
    );
  }
}

/**
 * Whether `e` is a {@link ReportTooLargeError}. Checks `name` as well as `instanceof`, so that two
 * copies of the package (CJS and ESM) agree.
 *
 * @param e - any caught value
 * @example
 * ```ts
 * if (isReportTooLargeError(e)) console.warn(e.message);
 * ```
 * @public
 */
export const isReportTooLargeError = (e: unknown): e is ReportTooLargeError =>
  isErrorOf(e, ['ReportTooLargeError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

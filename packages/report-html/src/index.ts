/**
 * @cs/report-html: A self-contained HTML report of a multi-account fan-out: accounts × regions
 * grid, failures by class, where the time went.
 *
 * @packageDocumentation
 */

export { renderReportHtml } from './renderReportHtml';
export type { ReportHtmlOptions } from './renderReportHtml';
export { TargetTimingRecorder } from './TargetTimings';
export type { TargetTiming } from './TargetTimings';
export { ReportTooLargeError, isReportTooLargeError } from './errors';

import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('the public surface of @cs/report-html', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ReportTooLargeError',
      'TargetTimingRecorder',
      'isReportTooLargeError',
      'renderReportHtml',
    ]);
  });
});

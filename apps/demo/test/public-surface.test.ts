import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('the public surface of cs-aws-demo', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "AppSelectionError",
        "CliError",
        "DEFAULT_CONFIG_FILE",
        "ERROR_CLASSES",
        "EXIT",
        "SAMPLE_ACCESS_KEY",
        "SAMPLE_APP",
        "SAMPLE_CONFIG",
        "SAMPLE_CONFIG_VARIABLES",
        "SAMPLE_MANAGEMENT_ACCOUNT",
        "SAMPLE_OPT_IN_REGION",
        "SAMPLE_THROTTLE",
        "UsageError",
        "isAppSelectionError",
        "isCliError",
        "isUsageError",
        "main",
        "parseCommandLine",
        "sampleOrganization",
        "startEmbeddedEndpoint",
      ]
    `);
  });
});

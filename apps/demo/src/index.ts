/**
 * cs-aws-demo: the `cs-aws` command line of the cs-aws packages, as functions (for its tests and
 * for programs that embed it): {@link main} runs the command; the sample organisation and its
 * bundled configuration run on the embedded local endpoint.
 *
 * @packageDocumentation
 */

export { main } from './main';
export { DEFAULT_CONFIG_FILE, EXIT } from './CliContext';
export type { CliContext, CliStream } from './CliContext';
export { parseCommandLine, ERROR_CLASSES } from './parseCommandLine';
export type { CommandLine, CommandName, IgnoreSpec, OutputFormat } from './parseCommandLine';
export { startEmbeddedEndpoint, SAMPLE_THROTTLE } from './startEmbeddedEndpoint';
export type { EmbeddedEndpoint } from './startEmbeddedEndpoint';
export {
  sampleOrganization,
  SAMPLE_ACCESS_KEY,
  SAMPLE_MANAGEMENT_ACCOUNT,
  SAMPLE_OPT_IN_REGION,
} from './sampleOrganization';
export { SAMPLE_APP, SAMPLE_CONFIG, SAMPLE_CONFIG_VARIABLES } from './sampleConfig';
export {
  AppSelectionError,
  CliError,
  UsageError,
  isAppSelectionError,
  isCliError,
  isUsageError,
} from './errors';

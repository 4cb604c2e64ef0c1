import type { ConfigLogger } from './parseConfig';

/**
 * Options of the `build*` functions.
 *
 * @public
 */
export interface BuildOptions {
  /**
   * The file name in problems.
   * @defaultValue the file the section was parsed from (by `parseConfig`/`loadConfig`), else `'<config>'`
   */
  source?: string;
  /**
   * The section's place in its document, in front of problems' paths
   * (`YourApp.RegionalAccountSet`).
   * @defaultValue the section's name
   */
  path?: string;
  /**
   * Given to the factories for the objects they create (a cached object keeps the logger it was
   * created with).
   * @defaultValue none
   */
  logger?: ConfigLogger;
}

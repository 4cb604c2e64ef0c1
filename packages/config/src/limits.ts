import type { ConfigProblem } from './errors';

/**
 * The bounds of a configuration: what a file may make the loader read and build.
 *
 * @public
 */
export interface ConfigLimits {
  /**
   * The largest configuration, in bytes of UTF-8 (a file, or the text given to `parseConfig`);
   * also the longest text a template's filter may make.
   */
  readonly maxBytes: number;
  /**
   * The most nodes (mappings, lists, keys and scalars) the document may have once its aliases are
   * expanded: the bound of an alias bomb, counted without expanding anything.
   */
  readonly maxNodes: number;
}

/**
 * The default {@link ConfigLimits}: 4 MiB and 1,000,000 nodes, far above any real configuration
 * (the README configurations of the original are under 1 KB and 100 nodes), and low enough that
 * validating a document at the limit takes well under a second.
 *
 * @example
 * ```ts
 * parseConfig(text, { limits: { maxBytes: DEFAULT_CONFIG_LIMITS.maxBytes / 4 } });
 * ```
 * @public
 */
export const DEFAULT_CONFIG_LIMITS: ConfigLimits = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxNodes: 1_000_000,
});

/** The limits of options, with the defaults; a limit that is not a positive integer is refused. */
export function resolveLimits(limits: Partial<ConfigLimits> | undefined): ConfigLimits {
  const resolved = { ...DEFAULT_CONFIG_LIMITS, ...limits };
  for (const key of ['maxBytes', 'maxNodes'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`limits.${key} must be a positive integer, got ${String(value)}`);
    }
  }
  return resolved;
}

/**
 * The most problems a `ConfigError` lists; past them, one more says how many were left out.
 *
 * @internal
 */
export const MAX_REPORTED_PROBLEMS = 1000;

/** Keeps the first {@link MAX_REPORTED_PROBLEMS} problems, and says how many more there were. */
export function boundProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return [...problems];
  const first = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const files = [...new Set(problems.map((p) => p.file))];
  return [
    ...first,
    {
      file: files.join(', '),
      path: '',
      message: `and ${problems.length - MAX_REPORTED_PROBLEMS} more problems, not listed: fix these first`,
    },
  ];
}

/** The problem of a text past the size limit, of `size` bytes when it was measured. */
export function sizeProblem(
  size: number | undefined,
  limits: ConfigLimits,
  file: string,
): ConfigProblem {
  return {
    file,
    path: '',
    message: `the configuration is larger than ${limits.maxBytes} bytes (the limit maxBytes)${size === undefined ? '' : `: ${size} bytes`}; a configuration file is a few kilobytes: raise limits.maxBytes if this one is meant to be this large`,
  };
}

import { readFile as readFileFromDisk } from 'node:fs/promises';
import { ConfigError } from './errors';
import type { ParseConfigOptions } from './parseConfig';
import { preloadRateLimitRedis } from './internal/redisStores';
import { parseConfig } from './parseConfig';
import type { CsAwsConfig } from './types';

/**
 * Options of {@link loadConfig}.
 *
 * @public
 */
export interface LoadConfigOptions extends Omit<ParseConfigOptions, 'source'> {
  /**
   * Reads the file: the seam for tests and for other file systems.
   * @defaultValue `fs.promises.readFile(file, 'utf8')`
   */
  readFile?: (file: string) => Promise<string | Uint8Array>;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'the file does not exist',
  EACCES: 'permission denied: the file cannot be read',
  EPERM: 'permission denied: the file cannot be read',
  EISDIR: 'this is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

/**
 * Reads a configuration file and returns it rendered, parsed and validated (see
 * {@link parseConfig}); problems name the file. When a `RateLimit` names a `store`, it also
 * imports the optional `@cs/ratelimit-redis` (from ESM, so the builders use the ESM copy the caller
 * imports; a missing package is reported by the builders).
 *
 * @param file - the path of the file.
 * @param options - `env` (default `process.env`), `readFile`, `logger`.
 * @returns the validated configuration; nothing is built.
 * @throws {@link ConfigError} when the file cannot be read (why: missing, permission, directory),
 * or with every problem of its content.
 * @example
 * ```ts
 * const config = await loadConfig('cs-aws.yaml');
 * const targets = buildRegionalAccountSet(getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'));
 * ```
 * @public
 */
export async function loadConfig(
  file: string,
  options: LoadConfigOptions = {},
): Promise<CsAwsConfig> {
  const read = options.readFile ?? ((path: string) => readFileFromDisk(path, 'utf8'));
  let content: string | Uint8Array;
  try {
    content = await read(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      (typeof code === 'string' ? READ_ERRORS[code] : undefined) ??
      `the file cannot be read (${error instanceof Error ? error.message : String(error)})`;
    throw new ConfigError([{ file, path: '', message: reason }], { cause: error });
  }
  const text = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
  const { readFile: _read, ...rest } = options;
  const config = parseConfig(text.replace(/^\uFEFF/, ''), { ...rest, source: file });
  await preloadRateLimitRedis(config);
  return config;
}

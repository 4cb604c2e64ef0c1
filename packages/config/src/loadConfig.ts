import { open } from 'node:fs/promises';
import { ConfigError } from './errors';
import { decodeUtf8 } from './parse/decodeText';
import { resolveLimits, sizeProblem } from './limits';
import type { ParseConfigOptions } from './parseConfig';
import { preloadRateLimitRedis } from './build/redisStores';
import { parseConfig } from './parseConfig';
import type { CsAwsConfig } from './types';

/**
 * Options of {@link loadConfig}.
 *
 * @public
 */
export interface LoadConfigOptions extends Omit<ParseConfigOptions, 'source'> {
  /**
   * Reads the file: the seam for tests and for other file systems. Bytes are decoded as strict
   * UTF-8 (bytes that are not UTF-8 are refused, with their line and column).
   * @defaultValue reads the file's bytes, at most `limits.maxBytes` + 1 of them (so a device or
   * a pipe that never ends is refused too)
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
 * Reads at most `maxBytes + 1` bytes of a file: enough to know it is past the limit, whatever
 * its size says (a pipe or a device has none). A regular file whose size is past the limit is not
 * read at all: its size is returned instead.
 */
async function readBounded(file: string, maxBytes: number): Promise<Uint8Array | number> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) return info.size;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buffer = new Uint8Array(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) break;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a configuration file and returns it rendered, parsed and validated (see
 * {@link parseConfig}); problems name the file. When a `RateLimit` names a `store`, it also
 * imports the optional `@cs/ratelimit-redis` (from ESM, so the builders use the ESM copy the caller
 * imports; a missing package is reported by the builders).
 *
 * @param file - the path of the file.
 * @param options - `env` (default `process.env`), `readFile`, `logger`, `limits`.
 * @returns the validated configuration; nothing is built.
 * @throws {@link ConfigError} when the file cannot be read (why: missing, permission, directory),
 * is larger than `limits.maxBytes`, or holds bytes that are not UTF-8 (with the line and
 * column), or with every problem of its content.
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
  const limits = resolveLimits(options.limits);
  const read: (path: string) => Promise<string | Uint8Array | number> =
    options.readFile ?? ((path: string) => readBounded(path, limits.maxBytes));
  let content: string | Uint8Array | number;
  try {
    content = await read(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      (typeof code === 'string' ? READ_ERRORS[code] : undefined) ??
      `the file cannot be read (${error instanceof Error ? error.message : String(error)})`;
    throw new ConfigError([{ file, path: '', message: reason }], { cause: error });
  }
  if (typeof content === 'number' || content.length > limits.maxBytes) {
    // A file read up to the limit has an unknown size; a regular file's size is known.
    const size = typeof content === 'number' ? content : undefined;
    throw new ConfigError([sizeProblem(size, limits, file)]);
  }
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    const decoded = decodeUtf8(content);
    if (!decoded.ok) {
      const utf16 = content[0] === 0xff && content[1] === 0xfe;
      throw new ConfigError([
        {
          file,
          path: '',
          line: decoded.line,
          message: `column ${decoded.column} (byte ${decoded.offset}): bytes that are not UTF-8; save the file as UTF-8${utf16 || (content[0] === 0xfe && content[1] === 0xff) ? ' (it looks like UTF-16)' : ''}`,
        },
      ]);
    }
    text = decoded.text;
  }
  const { readFile: _read, ...rest } = options;
  const config = parseConfig(text.replace(/^\uFEFF/, ''), { ...rest, source: file });
  await preloadRateLimitRedis(config);
  return config;
}

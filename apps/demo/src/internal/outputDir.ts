/**
 * `--output-dir DIR`: each target's result in `DIR/ACCOUNT/REGION.json` as it completes, the
 * summary in `DIR/summary.json` at the end; and `--resume`, which reads back the targets that
 * succeeded there.
 */

import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors';
import type { TargetResult } from './TargetResult';

/** The file name part of an account or region: safe on every file system, never a path. */
const part = (value: string | undefined, missing: string): string =>
  value === undefined || value === '' ? missing : value.replace(/[^\w.@-]/g, '_');

/** The key of a target, as `--resume` matches it. @internal */
export const targetKey = (accountId: string | undefined, region: string | undefined): string =>
  `${accountId ?? ''}/${region ?? ''}`;

/** The largest result file `--resume` reads back (a bigger one is not ours). */
const MAX_RESULT_FILE = 64 * 1024 * 1024;

/**
 * Writes each result as it arrives, and the summary at the end. Files are written whole
 * (to a temporary name, then renamed), so that a run interrupted mid-write leaves no torn file.
 *
 * @internal
 */
export class OutputDirWriter {
  readonly #dir: string;

  /**
   * @param dir - the directory (created when missing)
   * @throws {@link UsageError} when it cannot be created
   */
  constructor(dir: string) {
    this.#dir = dir;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(
        `--output-dir ${dir}: cannot create it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }

  /** Where a target's result goes. */
  pathOf(result: Pick<TargetResult, 'accountId' | 'region'>): string {
    return join(
      this.#dir,
      part(result.accountId, '_unknown-account'),
      `${part(result.region, '_no-region')}.json`,
    );
  }

  /** Writes one target's result (its JSON form). */
  write(result: TargetResult, json: Record<string, unknown>): void {
    const file = this.pathOf(result);
    mkdirSync(join(file, '..'), { recursive: true });
    this.#writeWhole(file, `${JSON.stringify(json, null, 2)}\n`);
  }

  /** Writes `summary.json`. */
  writeSummary(json: Record<string, unknown>): void {
    this.#writeWhole(join(this.#dir, 'summary.json'), `${JSON.stringify(json, null, 2)}\n`);
  }

  #writeWhole(file: string, text: string): void {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, file);
  }
}

/** A target that succeeded in an earlier run kept in the directory. @internal */
export interface EarlierSuccess {
  readonly accountId: string;
  readonly alias: string | undefined;
  readonly region: string | undefined;
  readonly file: string;
}

/**
 * The targets that succeeded in the run kept in `dir` (`ACCOUNT/REGION.json` files whose status
 * is `succeeded`), by {@link targetKey}. A directory that does not exist holds none.
 *
 * @internal
 */
export function readEarlierSuccesses(dir: string): Map<string, EarlierSuccess> {
  const found = new Map<string, EarlierSuccess>();
  let accounts: string[];
  try {
    accounts = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw new UsageError(`--resume: cannot read ${dir} (${(error as NodeJS.ErrnoException).code})`);
  }
  for (const account of accounts) {
    for (const entry of readdirSync(join(dir, account), { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
      const file = join(dir, account, entry.name);
      let data: unknown;
      try {
        const text = readFileSync(file);
        if (text.length > MAX_RESULT_FILE) continue;
        data = JSON.parse(text.toString('utf8'));
      } catch {
        // A file that is not a result of ours (or was cut short) does not count as a success.
        continue;
      }
      if (typeof data !== 'object' || data === null) continue;
      const r = data as Record<string, unknown>;
      if (r.status !== 'succeeded' || typeof r.accountId !== 'string') continue;
      const region = typeof r.region === 'string' ? r.region : undefined;
      found.set(targetKey(r.accountId, region), {
        accountId: r.accountId,
        alias: typeof r.alias === 'string' ? r.alias : undefined,
        region,
        file: relative(dir, file),
      });
    }
  }
  return found;
}

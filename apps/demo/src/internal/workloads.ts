/**
 * What each command does on one target, and the columns it adds to the table.
 */

import { search } from '@jmespath-community/jmespath';
import type { FanOutFunction, RegionalAccount } from '@cs/regional';
import type { CommandLine } from '../parseCommandLine';
import type { ValueColumn } from './reporters';
import { ProgramFailedError, runProgram, targetEnvironment } from './runProgram';

/** A command's work on each target and its columns. @internal */
export interface Workload {
  readonly fn: FanOutFunction<unknown>;
  readonly columns: readonly ValueColumn[];
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : JSON.stringify(value);

/** Fields of SDK outputs that say nothing about the answer. */
const NOISE = new Set([
  '$metadata',
  'NextToken',
  'nextToken',
  'Marker',
  'IsTruncated',
  'NextMarker',
]);

/** Drops the SDK's metadata, so that outputs are plain, stable data. @internal */
export const plainOutput = (output: unknown): Record<string, unknown> => {
  const plain: Record<string, unknown> = {};
  if (typeof output !== 'object' || output === null) return plain;
  for (const [key, value] of Object.entries(output)) {
    if (key !== '$metadata' && value !== undefined) plain[key] = value;
  }
  return plain;
};

/**
 * Merges the pages of a paginated answer: lists are concatenated, the pagination tokens dropped,
 * other fields taken from the last page.
 *
 * @internal
 */
export const mergePages = (pages: readonly Record<string, unknown>[]): Record<string, unknown> => {
  const merged: Record<string, unknown> = {};
  for (const page of pages) {
    for (const [key, value] of Object.entries(page)) {
      if (NOISE.has(key)) continue;
      const before = merged[key];
      merged[key] = isList(value) && isList(before) ? [...before, ...value] : value;
    }
  }
  return merged;
};

/**
 * One line about an answer, for the table: list sizes (`Reservations: 3 (Instances: 12)`),
 * short scalars, and the page count.
 *
 * @internal
 */
export const describeOutput = (value: unknown): string => {
  const parts: string[] = [];
  const pages = field(value, 'pages');
  const output = field(value, 'output');
  if (typeof output === 'object' && output !== null) {
    for (const [key, item] of Object.entries(output)) {
      if (NOISE.has(key)) continue;
      if (isList(item)) {
        // One level down too: Reservations hold Instances.
        const inner = new Map<string, number>();
        for (const element of item) {
          if (typeof element !== 'object' || element === null) continue;
          for (const [k, v] of Object.entries(element as Record<string, unknown>)) {
            if (isList(v)) inner.set(k, (inner.get(k) ?? 0) + v.length);
          }
        }
        const nested = [...inner]
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ');
        parts.push(`${key}: ${item.length}${nested === '' ? '' : ` (${nested})`}`);
      } else if (typeof item !== 'object' || item === null) {
        parts.push(`${key}=${text(item)}`);
      } else {
        parts.push(`${key}: {${Object.keys(item as object).length} fields}`);
      }
    }
  }
  if (typeof pages === 'number') parts.push(`${pages} page${pages === 1 ? '' : 's'}`);
  return parts.join('  ');
};

const rateLimitOf = (ra: RegionalAccount): string => {
  const { maxCount, interval, block } = ra.ratelimit;
  if (maxCount === 0 || interval === 0) return 'unlimited';
  const per = interval % 1000 === 0 ? `${interval / 1000}s` : `${interval}ms`;
  return `${maxCount}/${per}${block ? '' : ' (non-blocking)'}`;
};

/**
 * What `--query` is applied to: the answer of `call` (its merged pages), the value of the others.
 *
 * @internal
 */
export const queryBase = (command: CommandLine, value: unknown): unknown =>
  command.command === 'call' ? field(value, 'output') : value;

/**
 * A target's value with `--query` applied (the expression was checked when the command line was
 * read); the value itself without one.
 *
 * @internal
 */
export const applyQuery = (command: CommandLine, value: unknown): unknown =>
  command.query === undefined
    ? value
    : search(queryBase(command, value) as Parameters<typeof search>[0], command.query);

const firstLine = (value: unknown): string => {
  const out = field(value, 'stdout');
  return typeof out === 'string' ? (out.trimEnd().split('\n')[0] ?? '') : text(value);
};

/**
 * The work of a command on each target.
 *
 * @param command - the checked command line
 * @param env - the environment `exec`'s programs start from (their AWS settings are replaced)
 * @internal
 */
export function workloadOf(
  command: CommandLine,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Workload {
  if (command.query !== undefined) {
    const inner = workloadOf({ ...command, query: undefined }, env);
    return {
      fn: async (ra, signal) => applyQuery(command, await inner.fn(ra, signal)),
      columns: [{ header: 'query', cell: (v) => text(v) }],
    };
  }
  if (command.command === 'exec') {
    const [program = ''] = command.execArgs;
    return {
      fn: async (ra, signal) => {
        const result = await runProgram(command.execArgs, await targetEnvironment(ra, env), signal);
        if (result.exitCode !== 0) throw new ProgramFailedError(program, result);
        return {
          exitCode: 0,
          stdout: result.stdout,
          stderr: result.stderr,
          ...(result.truncated ? { truncated: true } : {}),
        };
      },
      columns: [{ header: 'output', cell: firstLine }],
    };
  }
  if (command.command === 'whoami') {
    return {
      fn: async (ra, signal) => {
        const output = await ra.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal });
        return { arn: field(output, 'Arn'), userId: field(output, 'UserId') };
      },
      columns: [{ header: 'arn', cell: (v) => text(field(v, 'arn')) }],
    };
  }
  if (command.command === 'call') {
    const service = command.service ?? '';
    const operation = command.operation ?? '';
    return {
      fn: async (ra, signal) => {
        if (!command.paginate) {
          const output = await ra.callClient(service, operation, command.input, undefined, {
            signal,
          });
          return { output: plainOutput(output) };
        }
        const pages: Record<string, unknown>[] = [];
        for await (const page of ra.paginate(service, operation, command.input, { signal })) {
          pages.push(plainOutput(page));
        }
        return { pages: pages.length, output: mergePages(pages) };
      },
      columns: [{ header: 'result', cell: describeOutput }],
    };
  }
  // targets: the plan only; the fan-out itself reads each account's id and alias.
  return {
    fn: (ra) => ({ rateLimit: rateLimitOf(ra) }),
    columns: [{ header: 'rate limit', cell: (v) => text(field(v, 'rateLimit')) }],
  };
}

/**
 * What each command does on one target, and the columns it adds to the table.
 */

import type { FanOutFunction, RegionalAccount } from '@cs/regional';
import type { CommandLine } from '../parseCommandLine';
import type { ValueColumn } from './reporters';

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
 * The work of a command on each target.
 *
 * @param command - the checked command line
 * @internal
 */
export function workloadOf(command: CommandLine): Workload {
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

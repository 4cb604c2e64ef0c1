/**
 * Soak (issue 9): calls through 100 RegionalAccounts on aws-local in a child process with a forced
 * GC: flat heap, nothing left open, no unhandled rejection. The full 100,000-call soak is `node --expose-gc bench/soak/run.mjs`;
 * this test runs the same script scaled down, since each SDK call costs milliseconds of CPU.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SOAK = fileURLToPath(new URL('../../../bench/soak/run.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface SoakFigures {
  calls: number;
  failures: number;
  serverRequests: number;
  heapAfterWarmupMB: number;
  heapAtEndMB: number;
  heapGrowthPercent: number;
  handlesLeft: number;
  unhandledRejections: number;
}

const runSoak = async (args: string[]): Promise<SoakFigures> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', SOAK, ...args, '--json'],
    { cwd: ROOT, timeout: 110_000, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as SoakFigures;
};

describe('soak', () => {
  it(
    'soak (scaled down): calls through 100 RegionalAccounts keep the heap flat, leave nothing open, reject nothing unhandled',
    { timeout: 120_000 },
    async () => {
      const calls = 1500;
      const figures = await runSoak(['--calls', String(calls), '--warmup', '600']);
      console.log(`[reliability] soak ${JSON.stringify(figures)}`);
      expect(figures.failures).toBe(0);
      expect(figures.serverRequests).toBe(calls + 600);
      expect(Math.abs(figures.heapGrowthPercent)).toBeLessThanOrEqual(10);
      expect(figures.handlesLeft).toBeLessThanOrEqual(0);
      expect(figures.unhandledRejections).toBe(0);
    },
  );
});

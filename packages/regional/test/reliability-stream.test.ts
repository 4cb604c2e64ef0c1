/**
 * Load (issue 9): 10,000 targets streamed through `set.stream()` to a slow consumer: the results
 * in memory at once stay bounded by the concurrency, whatever the number of targets.
 */
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { afterAll, describe, expect, it } from 'vitest';
import { regionalAccountsFactory, RegionalAccountSet } from '../src/index';
import type { RegionalAccounts } from '../src/index';
import { REGIONS } from '../../../test/regions.mjs';

let aws: LocalAws | undefined;
const containers: RegionalAccounts[] = [];
afterAll(async () => {
  for (const c of containers) for (const ra of c.values()) ra.destroy();
  await aws?.close();
});

describe('stream under load', () => {
  it(
    '10,000 targets streamed to a slow consumer: at most 2 × concurrency results in memory, heap bounded',
    { timeout: 120_000 },
    async () => {
      const ACCOUNTS = Array.from({ length: 500 }, (_, i) => String(300000000000 + i));
      const key = (i: number) => ({
        accessKeyId: `AKIAFIXTURESTREAM${String(i).padStart(3, '0')}`,
        secretAccessKey: `SECRETFIXTURE-stream-${i}`,
      });
      aws = await startLocalAws({
        accounts: ACCOUNTS.map((id, i) => ({
          id,
          users: [{ name: 'ci', accessKeys: [key(i)] }],
          regions: [...REGIONS],
        })),
      });
      const set = new RegionalAccountSet();
      ACCOUNTS.forEach((_, i) => {
        const container = regionalAccountsFactory({
          Account: {
            SessionParameters: {
              aws_access_key_id: key(i).accessKeyId,
              aws_secret_access_key: key(i).secretAccessKey,
              region_name: 'us-east-1',
              EndpointUrl: aws!.url,
            },
          },
          Filter: { Partitions: { aws: { Regions: { include: REGIONS } } } },
        });
        containers.push(container);
        set.add(container);
      });
      const CONCURRENCY = 16;
      const PAYLOAD = 12_500; // an array of 12,500 slots: about 100 KB of heap per result
      let started = 0;
      let consumed = 0;
      let maxUnconsumed = 0;
      let failed = 0;
      const seen = new Set<unknown>();
      const memory = () => {
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      };
      const baseline = memory();
      let peak = baseline;
      for await (const result of set.stream(
        (ra) => {
          started += 1;
          return Promise.resolve(new Array<string>(PAYLOAD).fill(ra.region()));
        },
        { concurrency: CONCURRENCY, aliases: false },
      )) {
        consumed += 1;
        maxUnconsumed = Math.max(maxUnconsumed, started - consumed);
        if (!result.ok) failed += 1;
        seen.add(result.target);
        // The consumer is slow: it yields to the event loop every time, and sleeps every 100.
        if (consumed % 100 === 0) {
          peak = Math.max(peak, memory());
          await new Promise((resolve) => setTimeout(resolve, 2));
        } else await new Promise((resolve) => setImmediate(resolve));
      }
      expect(consumed).toBe(10_000);
      expect(seen.size).toBe(10_000);
      expect(failed).toBe(0);
      // Running plus unread: never more than 2 × concurrency; held in memory at once, 10,000
      // results of 100 KB would be 1 GB.
      expect(maxUnconsumed).toBeLessThanOrEqual(2 * CONCURRENCY);
      // The heap is read without forcing a collection, so its peak holds the garbage the engine has
      // not collected yet: Node 20 let it grow by about 50 MB here, Node 24 by up to 300 MB. The
      // bound is what no engine reaches while the results are released, and a run that held every
      // result (about 1,000 MB) always fails it: the exact bound on live results is the one above.
      const growthMB = (peak - baseline) / 1048576;
      expect(growthMB).toBeLessThan(500);
      console.log(
        `[reliability] stream ${JSON.stringify({ targets: consumed, maxUnconsumed, peakGrowthMB: Math.round(growthMB) })}`,
      );
    },
  );
});

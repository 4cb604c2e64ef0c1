import { describe, expect, it, vi } from 'vitest';
import type { FanOutStoppedError } from '../src/fanout/errors';
import { isFanOutStoppedError } from '../src/fanout/errors';
import { FanOutRun, type FanOutSource } from '../src/fanout/fanOut';
import type { FanOutResult } from '../src/fanout/FanOutResult';

interface Target {
  readonly account: string;
  readonly region: string;
}

const targets = (n: number): Target[] =>
  Array.from({ length: n }, (_, i) => ({ account: `acct${i % 3}`, region: `r-${i}` }));

const sourceOf = (list: readonly Target[], pulled?: { count: number }): FanOutSource<Target> => ({
  targets: function* () {
    for (const t of list) {
      if (pulled) pulled.count += 1;
      yield t;
    }
  },
  total: () => list.length,
  identify: async (t) => ({ accountId: t.account, alias: `alias-${t.account}`, region: t.region }),
  knownIdentity: (t) => ({ accountId: t.account, alias: undefined, region: t.region }),
});

const collect = async <R>(
  run: AsyncIterable<FanOutResult<R, Target>>,
): Promise<FanOutResult<R, Target>[]> => {
  const out: FanOutResult<R, Target>[] = [];
  for await (const r of run) out.push(r);
  return out;
};

/** A promise to settle from outside, and the way to wait until a number of them exist. */
class Gate {
  readonly waiting: {
    target: Target;
    resolve: (v: string) => void;
    reject: (e: unknown) => void;
    signal: AbortSignal;
  }[] = [];
  #listeners: (() => void)[] = [];
  fn = (target: Target, signal: AbortSignal): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      this.waiting.push({ target, resolve, reject, signal });
      for (const l of this.#listeners.splice(0)) l();
    });
  async until(count: number): Promise<void> {
    while (this.waiting.length < count) await new Promise<void>((r) => this.#listeners.push(r));
  }
}

describe('the fan-out engine', () => {
  it('runs every target once, one result each, and never fails the run for one failure', async () => {
    const list = targets(10);
    const run = new FanOutRun(sourceOf(list), async (t) => {
      if (t.region === 'r-3') throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
      return t.region.toUpperCase();
    });
    const results = await collect(run);
    expect(results).toHaveLength(10);
    expect(new Set(results.map((r) => r.region)).size).toBe(10);
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([
      expect.objectContaining({
        region: 'r-3',
        status: 'failed',
        errorClass: 'access-denied',
        errorCode: 'AccessDenied',
        alias: 'alias-acct0',
      }),
    ]);
    expect(results.find((r) => r.region === 'r-4')).toMatchObject({
      ok: true,
      status: 'succeeded',
      value: 'R-4',
      accountId: 'acct1',
    });
    expect(run.summary).toMatchObject({
      total: 10,
      completed: 10,
      succeeded: 9,
      failed: 1,
      skipped: 0,
      running: 0,
      stopped: undefined,
      byClass: { 'access-denied': 1 },
    });
  });

  it('keeps at most `concurrency` targets running, and uses all of them', async () => {
    let inFlight = 0;
    let peak = 0;
    const gate = new Gate();
    const run = new FanOutRun(
      sourceOf(targets(40)),
      async (t, signal) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await gate.fn(t, signal);
        } finally {
          inFlight -= 1;
        }
      },
      { concurrency: 4 },
    );
    const done = collect(run);
    for (let settled = 0; settled < 40; settled += 1) {
      await gate.until(settled + 1);
      expect(inFlight).toBeLessThanOrEqual(4);
      gate.waiting[settled]!.resolve('ok');
    }
    expect(await done).toHaveLength(40);
    expect(peak).toBe(4);
  });

  it('yields results in the order they complete', async () => {
    const gate = new Gate();
    const run = new FanOutRun(sourceOf(targets(3)), gate.fn, { concurrency: 3 });
    const first = run.next();
    await gate.until(3);
    gate.waiting[2]!.resolve('third started, first done');
    expect((await first).value).toMatchObject({ region: 'r-2', ok: true });
    gate.waiting[0]!.resolve('a');
    expect((await run.next()).value).toMatchObject({ region: 'r-0' });
    gate.waiting[1]!.resolve('b');
    expect((await run.next()).value).toMatchObject({ region: 'r-1' });
    expect((await run.next()).done).toBe(true);
  });

  it('pulls targets lazily and stops starting work while results wait to be read', async () => {
    const pulled = { count: 0 };
    let started = 0;
    const run = new FanOutRun(
      sourceOf(targets(1000), pulled),
      async () => {
        started += 1;
        return 'x';
      },
      { concurrency: 5 },
    );
    expect(pulled.count).toBe(0);
    const first = await run.next();
    expect(first.done).toBe(false);
    // Let every started target settle: the reader has not read, so no more may start.
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
    expect(started).toBeLessThanOrEqual(11);
    expect(pulled.count).toBeLessThanOrEqual(11);
    let count = 1;
    for await (const _ of run) count += 1;
    expect(count).toBe(1000);
  });

  it('on abort starts nothing more, aborts running targets, reports the rest skipped', async () => {
    const gate = new Gate();
    const controller = new AbortController();
    const run = new FanOutRun(sourceOf(targets(10)), gate.fn, {
      concurrency: 2,
      signal: controller.signal,
    });
    const done = collect(run);
    await gate.until(2);
    gate.waiting[0]!.resolve('first');
    await gate.until(3);
    controller.abort(new Error('user pressed ^C'));
    expect(gate.waiting.slice(1).every((w) => w.signal.aborted)).toBe(true);
    const results = await done;
    expect(gate.waiting).toHaveLength(3);
    expect(results).toHaveLength(10);
    expect(results.filter((r) => r.status === 'succeeded').map((r) => r.region)).toEqual(['r-0']);
    const skipped = results.filter((r) => r.status === 'skipped');
    expect(skipped).toHaveLength(9);
    for (const r of skipped) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errorClass).toBe('aborted');
        expect(isFanOutStoppedError(r.error)).toBe(true);
        expect((r.error as FanOutStoppedError).message).toMatch(/aborted: user pressed \^C/);
      }
    }
    expect(run.summary).toMatchObject({ succeeded: 1, skipped: 9, failed: 0, stopped: 'aborted' });
  });

  it('never starts the work of a target stopped while its identity was read', async () => {
    let release!: () => void;
    const identityRead = new Promise<void>((resolve) => (release = resolve));
    const source = {
      ...sourceOf(targets(1)),
      identify: async (t: Target) => {
        await identityRead;
        return { accountId: t.account, alias: t.account, region: t.region };
      },
    };
    let calls = 0;
    const controller = new AbortController();
    const run = new FanOutRun(source, () => (calls += 1), { signal: controller.signal });
    const done = collect(run);
    await Promise.resolve();
    controller.abort(new Error('stop'));
    const results = await done;
    release();
    await identityRead;
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    expect(calls).toBe(0);
    expect(results.map((r) => r.status)).toEqual(['skipped']);
  });

  it('runs nothing when the signal is already aborted', async () => {
    let calls = 0;
    const run = new FanOutRun(sourceOf(targets(5)), () => (calls += 1), {
      signal: AbortSignal.abort(),
    });
    const results = await collect(run);
    expect(calls).toBe(0);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('skipped'));
  });

  it('stops at the first failure with failFast', async () => {
    const run = new FanOutRun(
      sourceOf(targets(20)),
      async (t) => {
        if (t.region === 'r-2') throw new Error('broken');
        return 'ok';
      },
      { concurrency: 1, failFast: true },
    );
    const results = await collect(run);
    expect(results).toHaveLength(20);
    expect(results.map((r) => r.status).slice(0, 4)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'skipped',
    ]);
    expect(run.summary).toMatchObject({
      succeeded: 2,
      failed: 1,
      skipped: 17,
      stopped: 'fail-fast',
    });
  });

  it('tolerates a count of failures, then stops', async () => {
    const run = new FanOutRun(
      sourceOf(targets(20)),
      async (t) => {
        if (Number(t.region.slice(2)) % 2 === 1) throw new Error('odd');
        return 'even';
      },
      { concurrency: 1, tolerance: 3 },
    );
    await collect(run);
    expect(run.summary).toMatchObject({
      failed: 4,
      succeeded: 4,
      skipped: 12,
      stopped: 'tolerance',
    });
  });

  it('tolerates a fraction of all targets, then stops', async () => {
    const run = new FanOutRun(
      sourceOf(targets(20)),
      async (t) => {
        if (Number(t.region.slice(2)) >= 10) throw new Error('late');
        return 'early';
      },
      { concurrency: 1, tolerance: 0.25 },
    );
    await collect(run);
    // 25 % of 20 is 5 failures tolerated: the sixth stops the run.
    expect(run.summary).toMatchObject({
      succeeded: 10,
      failed: 6,
      skipped: 4,
      stopped: 'tolerance',
    });
  });

  it('never stops for failures below the tolerance', async () => {
    const run = new FanOutRun(
      sourceOf(targets(10)),
      async () => {
        throw new Error('all fail');
      },
      { tolerance: 10 },
    );
    await collect(run);
    expect(run.summary).toMatchObject({ failed: 10, stopped: undefined });
  });

  it('turns failures matched by ignore rules into skipped targets that do not count', async () => {
    const errors: Record<string, Error> = {
      'r-0': Object.assign(new Error('not opted in'), { name: 'OptInRequired' }),
      'r-1': Object.assign(new Error('gone'), { name: 'NoSuchBucket' }),
      'r-2': new Error('The subscription is not active'),
      'r-3': new Error('real failure'),
    };
    const run = new FanOutRun(
      sourceOf(targets(5)),
      async (t) => {
        const e = errors[t.region];
        if (e) throw e;
        return 'ok';
      },
      {
        failFast: true,
        concurrency: 1,
        ignore: ['region-not-enabled', { code: /^NoSuch/ }, { message: 'SUBSCRIPTION is not' }],
      },
    );
    const results = await collect(run);
    expect(results.map((r) => [r.region, r.status])).toEqual([
      ['r-0', 'skipped'],
      ['r-1', 'skipped'],
      ['r-2', 'skipped'],
      ['r-3', 'failed'],
      ['r-4', 'skipped'],
    ]);
    expect(results[0]).toMatchObject({
      errorClass: 'region-not-enabled',
      errorCode: 'OptInRequired',
    });
  });

  it('needs every field of an ignore rule to match', async () => {
    const run = new FanOutRun(
      sourceOf(targets(1)),
      async () => {
        throw Object.assign(new Error('x'), { name: 'AccessDenied' });
      },
      {
        ignore: [{ class: 'access-denied', code: 'Other' }, { class: ['throttled', 'not-found'] }],
      },
    );
    expect((await collect(run))[0]?.status).toBe('failed');
  });

  it('reports progress after each target', async () => {
    const seen: [number, number, string][] = [];
    await collect(
      new FanOutRun(sourceOf(targets(4)), async (t) => t.region, {
        concurrency: 1,
        onProgress: (p) => seen.push([p.completed, p.total, p.result.status]),
      }),
    );
    expect(seen).toEqual([
      [1, 4, 'succeeded'],
      [2, 4, 'succeeded'],
      [3, 4, 'succeeded'],
      [4, 4, 'succeeded'],
    ]);
  });

  it('aborts the running targets when the reader leaves the loop', async () => {
    const gate = new Gate();
    const run = new FanOutRun(sourceOf(targets(10)), gate.fn, { concurrency: 3 });
    const reading = (async () => {
      for await (const r of run) return r;
      return undefined;
    })();
    await gate.until(3);
    gate.waiting[1]!.resolve('one');
    expect(await reading).toMatchObject({ region: 'r-1' });
    // r-1's slot went to r-3 before the reader left; every target still running is aborted.
    expect(gate.waiting.map((w) => w.target.region)).toEqual(['r-0', 'r-1', 'r-2', 'r-3']);
    expect([0, 2, 3].map((i) => gate.waiting[i]!.signal.aborted)).toEqual([true, true, true]);
    expect((await run.next()).done).toBe(true);
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    expect(gate.waiting).toHaveLength(4);
  });

  it('reports a failed identity lookup as the target failing', async () => {
    const source = {
      ...sourceOf(targets(2)),
      identify: async (t: Target) => {
        if (t.region === 'r-0') throw Object.assign(new Error('expired'), { name: 'ExpiredToken' });
        return { accountId: t.account, alias: t.account, region: t.region };
      },
    };
    const results = await collect(new FanOutRun(source, async () => 'ok'));
    expect(results.find((r) => r.region === 'r-0')).toMatchObject({
      status: 'failed',
      errorClass: 'expired-credentials',
      accountId: 'acct0',
    });
  });

  it('reports pre-resolved targets first, without running them', async () => {
    const source = {
      ...sourceOf(targets(1)),
      total: () => 2,
      preResolved: () => [
        {
          status: 'skipped' as const,
          accountId: '9',
          alias: 'gone',
          region: 'r-x',
          error: new Error('suspended'),
          errorClass: 'account-not-active' as const,
        },
      ],
    };
    const results = await collect(new FanOutRun(source, async () => 'ok'));
    expect(results.map((r) => [r.accountId, r.status])).toEqual([
      ['9', 'skipped'],
      ['acct0', 'succeeded'],
    ]);
  });

  it('surfaces an exception of onProgress as the run failing', async () => {
    const run = new FanOutRun(sourceOf(targets(3)), async () => 'ok', {
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    });
    await expect(collect(run)).rejects.toThrow('progress bar broke');
  });

  it('refuses bad options', () => {
    expect(() => new FanOutRun(sourceOf([]), () => 1, { concurrency: 0 })).toThrow(
      /concurrency must be/,
    );
    expect(() => new FanOutRun(sourceOf([]), () => 1, { tolerance: -1 })).toThrow(
      /tolerance must be/,
    );
    expect(() => new FanOutRun(sourceOf([]), () => 1, { tolerance: 2.5 })).toThrow(
      /tolerance must be/,
    );
    expect(() => new FanOutRun(sourceOf([]), () => 1, { timeout: 0 })).toThrow(/timeout must be/);
  });

  it('runs the preparation before the first target, and fails the run when it fails', async () => {
    const order: string[] = [];
    const source = { ...sourceOf(targets(1)), prepare: async () => void order.push('prepare') };
    await collect(new FanOutRun(source, async () => void order.push('target')));
    expect(order).toEqual(['prepare', 'target']);
    const failing = {
      ...sourceOf(targets(1)),
      prepare: async () => {
        throw new Error('discovery broke');
      },
    };
    await expect(collect(new FanOutRun(failing, async () => 'ok'))).rejects.toThrow(
      'discovery broke',
    );
  });

  it('fails a target that outlives its timeout, aborting its signal, and runs the others', async () => {
    vi.useFakeTimers();
    try {
      const gate = new Gate();
      const run = new FanOutRun(sourceOf(targets(2)), gate.fn, { concurrency: 2, timeout: 500 });
      const done = collect(run);
      await vi.advanceTimersByTimeAsync(0);
      await gate.until(2);
      gate.waiting[1]!.resolve('quick');
      await vi.advanceTimersByTimeAsync(499);
      expect(gate.waiting[0]!.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(gate.waiting[0]!.signal.aborted).toBe(true);
      const results = await done;
      expect(results.map((r) => [r.region, r.status])).toEqual([
        ['r-1', 'succeeded'],
        ['r-0', 'failed'],
      ]);
      expect(results[1]).toMatchObject({ errorClass: 'network', errorCode: 'TimeoutError' });
      expect(run.summary.stopped).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('measures durations with the injected clock', async () => {
    let now = 1000;
    const run = new FanOutRun(
      sourceOf(targets(1)),
      async () => {
        now += 250;
        return 'ok';
      },
      { clock: { now: () => now } },
    );
    const [result] = await collect(run);
    expect(result?.durationMs).toBe(250);
    expect(run.summary.durationMs).toBe(250);
  });
});

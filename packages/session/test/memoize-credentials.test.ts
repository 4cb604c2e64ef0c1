import type { AwsCredentialIdentity } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCredentialsExpiredError } from '../src/errors';
import { memoizeCredentials } from '../src/internal/memoizeCredentials';

const settings = (warnings: string[] = []) => ({
  clock: { now: () => Date.now() },
  refresh: { marginMs: 300_000, marginFraction: 0.25, backoffBaseMs: 500, backoffMaxMs: 30_000 },
  logger: { warn: (m: string) => warnings.push(m) },
  label: 'arn:aws:iam::1:role/R',
});

/** A fetch that answers after `delayMs` with credentials living `lifetimeMs`, or fails while `failing`. */
const fakeFetch = (lifetimeMs: number, delayMs = 10) => {
  const state = { calls: 0, failing: false };
  const fetch = vi.fn(async (): Promise<AwsCredentialIdentity> => {
    state.calls += 1;
    const n = state.calls;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (state.failing)
      throw Object.assign(new Error('STS unavailable'), { name: 'ServiceUnavailable' });
    return {
      accessKeyId: `K${n}`,
      secretAccessKey: 'SECRETFIXTURE-memo',
      expiration: new Date(Date.now() + lifetimeMs),
    };
  });
  return { fetch, state };
};

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('memoizeCredentials', () => {
  it('merges concurrent first callers into one fetch', async () => {
    const { fetch } = fakeFetch(3_600_000);
    const provider = memoizeCredentials(fetch, settings());
    const all = Promise.all(Array.from({ length: 1000 }, () => provider()));
    await vi.advanceTimersByTimeAsync(10);
    const identities = await all;
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(new Set(identities.map((i) => i.accessKeyId))).toEqual(new Set(['K1']));
  });

  it('serves the cached identity until the refresh window, min(5 min, 25 % of lifetime)', async () => {
    const { fetch } = fakeFetch(3_600_000);
    const provider = memoizeCredentials(fetch, settings());
    const first = provider();
    await vi.advanceTimersByTimeAsync(10);
    await first;
    await vi.advanceTimersByTimeAsync(3_600_000 - 300_000 - 1000);
    expect((await provider()).accessKeyId).toBe('K1');
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000); // now inside the 5-minute window
    const during = await Promise.all(Array.from({ length: 50 }, () => provider()));
    expect(during.every((i) => i.accessKeyId === 'K1')).toBe(true); // still valid: no caller waits
    expect(fetch).toHaveBeenCalledTimes(2); // one background refresh for all of them
    await vi.advanceTimersByTimeAsync(10);
    expect((await provider()).accessKeyId).toBe('K2');
  });

  it('refreshes credentials of a few seconds before they expire (proportionate margin)', async () => {
    const { fetch } = fakeFetch(4000);
    const provider = memoizeCredentials(fetch, settings());
    const p = provider();
    await vi.advanceTimersByTimeAsync(10);
    await p;
    await vi.advanceTimersByTimeAsync(3100); // margin is 1 s of a 4 s life
    expect((await provider()).accessKeyId).toBe('K1');
    await vi.advanceTimersByTimeAsync(10);
    expect((await provider()).accessKeyId).toBe('K2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('retries a failed refresh with backoff while the old identity is valid, and never caches a failure', async () => {
    const warnings: string[] = [];
    const { fetch, state } = fakeFetch(3_600_000);
    const provider = memoizeCredentials(fetch, settings(warnings));
    const p = provider();
    await vi.advanceTimersByTimeAsync(10);
    await p;
    state.failing = true;
    await vi.advanceTimersByTimeAsync(3_400_000); // inside the window
    expect((await provider()).accessKeyId).toBe('K1');
    await vi.advanceTimersByTimeAsync(10);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(warnings[0]).toMatch(
      /refresh of the credentials of arn:aws:iam::1:role\/R failed \(attempt 1\)/,
    );
    // within the backoff (500 ms) no new attempt
    await provider();
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(600);
    expect((await provider()).accessKeyId).toBe('K1');
    await vi.advanceTimersByTimeAsync(10);
    expect(fetch).toHaveBeenCalledTimes(3);
    // the backoff doubles: 1 s now
    await vi.advanceTimersByTimeAsync(600);
    await provider();
    expect(fetch).toHaveBeenCalledTimes(3);
    state.failing = false;
    await vi.advanceTimersByTimeAsync(500);
    await provider();
    await vi.advanceTimersByTimeAsync(10);
    expect((await provider()).accessKeyId).toBe('K4');
  });

  it('reports expired credentials that could not be refreshed clearly, then recovers', async () => {
    const { fetch, state } = fakeFetch(60_000);
    const provider = memoizeCredentials(fetch, settings());
    const p = provider();
    await vi.advanceTimersByTimeAsync(10);
    await p;
    state.failing = true;
    await vi.advanceTimersByTimeAsync(61_000);
    const failed = provider().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    const error = await failed;
    expect(isCredentialsExpiredError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'credentials of arn:aws:iam::1:role/R expired at 2026-01-01T00:01:00.010Z and could not be refreshed: STS unavailable',
    );
    state.failing = false;
    const again = provider();
    await vi.advanceTimersByTimeAsync(10);
    expect((await again).accessKeyId).toMatch(/^K\d$/);
  });

  it('a first fetch that fails is not cached and its error is passed through', async () => {
    const { fetch, state } = fakeFetch(60_000);
    state.failing = true;
    const provider = memoizeCredentials(fetch, settings());
    const failed = provider().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await failed).toMatchObject({ name: 'ServiceUnavailable' });
    state.failing = false;
    const ok = provider();
    await vi.advanceTimersByTimeAsync(10);
    expect((await ok).accessKeyId).toBe('K2');
  });

  it('keeps identities without expiration forever', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve({ accessKeyId: 'A', secretAccessKey: 'SECRETFIXTURE-memo' }),
    );
    const provider = memoizeCredentials(fetch, settings());
    await provider();
    await vi.advanceTimersByTimeAsync(10 * 86_400_000);
    await provider();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

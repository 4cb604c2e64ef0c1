import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CredentialsExpiredError } from '../errors';
import { stripResponse } from '../stripResponse';
import type { Logger } from '../Logger';
import type { RefreshOptions, WallClock } from '../types';

/** Settings of one memoized provider. */
export interface MemoizeSettings {
  clock: WallClock;
  refresh: Required<RefreshOptions>;
  logger: Logger;
  /** Which credentials, for messages (`arn:aws:iam::...:role/x`, `base identity`). */
  label: string;
  /** Called with each identity obtained. */
  onIdentity?: (identity: AwsCredentialIdentity) => void;
}

/** A provider that also tells its state, for tests and for `ready()`. */
export interface MemoizedProvider extends AwsCredentialIdentityProvider {
  /** Forgets the cached identity (the next call fetches). */
  invalidate(): void;
}

interface Cached {
  identity: AwsCredentialIdentity;
  obtainedAt: number;
  expiresAt: number | undefined;
}

/** How long before their expiry credentials stop being served (at most), and as a share of their lifetime. */
const EXPIRY_SKEW_MS = 10_000;
const EXPIRY_SKEW_FRACTION = 0.05;

/**
 * Memoizes a credentials fetch: concurrent callers share one fetch (single flight); an identity is
 * served until it enters its refresh window (`min(marginMs, marginFraction × lifetime)` before
 * expiry), then refreshed in the background while callers keep the still-valid identity; a
 * failed refresh is retried (at the next call) after an exponential backoff bounded by a quarter
 * of the remaining validity; once expired (or nearly: `min(10 s, 5 % of lifetime)` before, so that
 * no request is signed with credentials that expire in transit), callers wait for a fetch, and a failure then is
 * reported as {@link CredentialsExpiredError}. A failure is never cached.
 */
export function memoizeCredentials(
  fetch: () => Promise<AwsCredentialIdentity>,
  settings: MemoizeSettings,
): MemoizedProvider {
  const { clock, refresh, logger, label } = settings;
  let cached: Cached | undefined;
  let inflight: Promise<AwsCredentialIdentity> | undefined;
  let failures = 0;
  let nextAttemptAt = 0;
  let lastError: unknown;

  const start = (): Promise<AwsCredentialIdentity> => {
    if (inflight !== undefined) return inflight;
    const attempt: Promise<AwsCredentialIdentity> = Promise.resolve()
      .then(fetch)
      .then(
        (identity) => {
          if (inflight === attempt) inflight = undefined;
          const now = clock.now();
          cached = { identity, obtainedAt: now, expiresAt: identity.expiration?.getTime() };
          failures = 0;
          nextAttemptAt = 0;
          lastError = undefined;
          settings.onIdentity?.(identity);
          return identity;
        },
        (error: unknown) => {
          if (inflight === attempt) inflight = undefined;
          failures += 1;
          lastError = error;
          const now = clock.now();
          const remaining = cached?.expiresAt !== undefined ? cached.expiresAt - now : Infinity;
          const delay = Math.min(
            refresh.backoffBaseMs * 2 ** (failures - 1),
            refresh.backoffMaxMs,
            Math.max(0, remaining / 4),
          );
          nextAttemptAt = now + delay;
          throw error;
        },
      );
    inflight = attempt;
    return attempt;
  };

  const provider = (async () => {
    const now = clock.now();
    if (cached !== undefined) {
      const { identity, obtainedAt, expiresAt } = cached;
      if (expiresAt === undefined) return identity;
      const lifetime = expiresAt - obtainedAt;
      const margin = Math.min(refresh.marginMs, refresh.marginFraction * lifetime);
      if (now < expiresAt - margin) return identity;
      // Not up to the last millisecond: a request signed then would arrive expired and be refused
      // as ExpiredToken, hiding why the refresh failed. Past this point callers wait for a fetch.
      if (now < expiresAt - Math.min(EXPIRY_SKEW_MS, EXPIRY_SKEW_FRACTION * lifetime)) {
        if (inflight === undefined && now >= nextAttemptAt) {
          start().catch((error: unknown) => {
            logger.warn?.(
              `refresh of the credentials of ${label} failed (attempt ${failures}); the current ones stay valid until ${new Date(expiresAt).toISOString()}, retrying with backoff`,
              {
                label,
                attempt: failures,
                error: error instanceof Error ? error.message : String(error),
              },
            );
          });
        }
        return identity;
      }
      try {
        return await start();
      } catch (error) {
        throw new CredentialsExpiredError(label, new Date(expiresAt), {
          cause: stripResponse(error ?? lastError),
        });
      }
    }
    return start();
  }) as MemoizedProvider;
  provider.invalidate = () => {
    cached = undefined;
  };
  return provider;
}

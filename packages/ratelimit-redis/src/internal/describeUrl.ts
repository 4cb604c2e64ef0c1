import { RateLimitConfigError } from '@cs/ratelimit';

/**
 * Checks a Redis URL and describes it without its credentials (`redis://host:port/db`), for
 * messages. The URL itself is never echoed: it may hold a password.
 *
 * @param url - a `redis://` or `rediss://` URL
 * @param setting - the name of the setting, for the error
 * @returns the URL without user name and password
 * @throws {@link RateLimitConfigError} when it is not such a URL
 * @internal
 */
export function describeUrl(url: unknown, setting = 'url'): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    // Neither echoed nor kept on the error (`value`): whatever was passed may hold a password.
    throw new RateLimitConfigError(
      setting,
      undefined,
      'a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
      false,
    );
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

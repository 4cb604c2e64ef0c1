import type { Cluster, Redis } from 'ioredis';

/**
 * The secrets of a connection that must never reach an error or a log: the password of its URL
 * (as written and percent-decoded) and the passwords in the client's options.
 *
 * @param client - the connection
 * @param url - the URL the store opened it from, if any
 * @internal
 */
export function secretsOf(client: Redis | Cluster, url?: string): string[] {
  const secrets = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value !== '') secrets.add(value);
  };
  if (url !== undefined) {
    try {
      const { password } = new URL(url);
      add(password);
      add(decodeURIComponent(password));
    } catch {
      // not a URL: nothing to take from it (the constructor has refused it already)
    }
  }
  const options = (client as unknown as { options?: Record<string, unknown> }).options;
  add(options?.password);
  add(options?.sentinelPassword);
  const redisOptions = options?.redisOptions as Record<string, unknown> | undefined;
  add(redisOptions?.password);
  // Longest first, so that a secret containing another is removed whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every secret replaced by `***`.
 *
 * @internal
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * A copy of a client's error with only its name, its message (secrets removed) and its code: what
 * may become the `cause` of an error of this package.
 *
 * @internal
 */
export function redactedError(error: unknown, secrets: readonly string[]): Error {
  const original = error instanceof Error ? error : undefined;
  const copy = new Error(redact(original ? String(original.message) : String(error), secrets));
  if (original) {
    Object.defineProperty(copy, 'name', {
      value: redact(String(original.name), secrets),
      configurable: true,
      writable: true,
    });
    const code = (original as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') {
      Object.defineProperty(copy, 'code', { value: code, enumerable: true });
    }
  }
  return copy;
}

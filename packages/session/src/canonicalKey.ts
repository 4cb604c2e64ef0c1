import { createHash } from 'node:crypto';

/** Keys whose string values are secrets: hashed, never kept in clear in a key. */
const SECRET_KEY = /secret|token|password|assertion/i;

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

const identityOf = (value: object): number => {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
};

const hash = (text: string): string =>
  `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/** A URL with a password in its userinfo (`redis://user:password@host`): scheme, user, password, rest. */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]*):([^/?#@]*)@/i;

/** A string for a key: a secret hashed whole, a URL's password hashed in place. */
const encodeString = (value: string, secret: boolean): string => {
  if (secret) return JSON.stringify(hash(value));
  return JSON.stringify(
    value.replace(URL_WITH_PASSWORD, (_, scheme: string, user: string, password: string) =>
      password === '' ? `${scheme}${user}:@` : `${scheme}${user}:${hash(password)}@`,
    ),
  );
};

const encode = (value: unknown, secret: boolean): string => {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return encodeString(value, secret);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return JSON.stringify(String(value));
  if (typeof value === 'function') return `"[function#${identityOf(value)}]"`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => encode(item, secret)).join(',')}]`;
  if (!isPlainObject(value)) return `"[object#${identityOf(value)}]"`;
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${encode(value[key], secret || SECRET_KEY.test(key))}`);
  return `{${entries.join(',')}}`;
};

/**
 * The one cache-key function of the project: a canonical string for a configuration value, the
 * same whatever the order of object keys. Values under keys that name secrets (`secret`, `token`,
 * `password`, `assertion`), and the password of any URL (`redis://:password@host`), are replaced
 * by their SHA-256, so a key never holds a secret in clear;
 * functions and class instances are keyed by identity; `undefined` properties are ignored.
 *
 * @param value - Any configuration value.
 * @returns A string equal for equal configurations.
 * @example
 * ```ts
 * canonicalKey({ a: 1, b: 2 }) === canonicalKey({ b: 2, a: 1 }); // true
 * ```
 * @public
 */
export function canonicalKey(value: unknown): string {
  return encode(value, false);
}

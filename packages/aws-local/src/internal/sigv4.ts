import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a SigV4 `Authorization` header. @internal */
export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256 ';
const WHITESPACE = /\s+/g;
const RESERVED = /[!'()*]/g;

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b,
 * Signature=hex` with string searches only (this runs on every request).
 * @internal
 */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  if (!header.startsWith(ALGORITHM)) return undefined;
  const credential = field(header, 'Credential=');
  const signedHeaders = field(header, 'SignedHeaders=');
  const signature = field(header, 'Signature=');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return undefined;
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

function field(header: string, name: string): string | undefined {
  const start = header.indexOf(name);
  if (start < 0) return undefined;
  const from = start + name.length;
  const end = header.indexOf(',', from);
  return (end < 0 ? header.slice(from) : header.slice(from, end)).trim();
}

const keyCache = new Map<string, Buffer>();
const KEY_CACHE_LIMIT = 1024;

/** The derived signing key, cached per (secret, date, region, service). @internal */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\0${date}\0${region}\0${service}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** RFC 3986 escaping, as SigV4 wants it. @internal */
export const escapeUri = (value: string): string =>
  encodeURIComponent(value).replace(
    RESERVED,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function canonicalPath(path: string): string {
  if (path === '/' || path === '') return '/';
  return path
    .split('/')
    .map((segment) => escapeUri(segment))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    return [escapeUri(key), escapeUri(value)] as const;
  });
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The request parts a signature covers. @internal */
export interface SignedRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Recomputes the signature with the caller's secret and compares it in constant time.
 * @internal
 */
export function verifySignature(
  request: SignedRequest,
  auth: ParsedAuthorization,
  secret: string,
): boolean {
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string') return false;
  let canonicalHeaders = '';
  for (const name of auth.signedHeaders) {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
    canonicalHeaders += `${name}:${value.trim().replace(WHITESPACE, ' ')}\n`;
  }
  const declared = request.headers['x-amz-content-sha256'];
  const payloadHash =
    typeof declared === 'string' && declared === 'UNSIGNED-PAYLOAD'
      ? declared
      : createHash('sha256').update(request.body).digest('hex');
  const canonicalRequest = `${request.method}\n${canonicalPath(request.path)}\n${canonicalQuery(request.query)}\n${canonicalHeaders}\n${auth.signedHeaders.join(';')}\n${payloadHash}`;
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service))
    .update(stringToSign)
    .digest();
  if (auth.signature.length !== 64) return false;
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

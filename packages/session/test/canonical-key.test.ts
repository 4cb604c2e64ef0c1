import { describe, expect, it } from 'vitest';
import { canonicalKey } from '../src/canonicalKey';

describe('canonicalKey', () => {
  it('ignores the order of object keys at every depth', () => {
    const a = {
      SessionParameters: { region_name: 'eu-west-1', profile_name: 'p' },
      AssumeRole: { RoleArn: 'r', RoleSessionName: 's' },
    };
    const b = {
      AssumeRole: { RoleSessionName: 's', RoleArn: 'r' },
      SessionParameters: { profile_name: 'p', region_name: 'eu-west-1' },
    };
    expect(canonicalKey(a)).toBe(canonicalKey(b));
  });

  it('keeps the order of arrays and tells different values apart', () => {
    expect(canonicalKey([1, 2])).not.toBe(canonicalKey([2, 1]));
    expect(canonicalKey({ a: 1 })).not.toBe(canonicalKey({ a: '1' }));
    expect(canonicalKey({ a: 1 })).not.toBe(canonicalKey({ a: 1, b: 2 }));
  });

  it('ignores undefined properties', () => {
    expect(canonicalKey({ a: 1, b: undefined })).toBe(canonicalKey({ a: 1 }));
  });

  it('hashes the password of a URL in place: the rest stays readable, equal URLs give equal keys', () => {
    const password = 'SECRETFIXTURE-redis-password';
    const url = `redis://cache-user:${password}@redis.internal:6379/0`;
    const key = canonicalKey({ store: { redis: { url, key: 'budget' } } });
    expect(key).not.toContain(password);
    expect(key).toContain('redis://cache-user:sha256:');
    expect(key).toContain('@redis.internal:6379/0');
    expect(canonicalKey({ store: { redis: { key: 'budget', url } } })).toBe(key);
    expect(canonicalKey({ url: url.replace(password, 'other') })).not.toBe(canonicalKey({ url }));
    // No password, nothing to hide: the URL is kept as it is.
    expect(canonicalKey('redis://127.0.0.1:6379')).toBe('"redis://127.0.0.1:6379"');
    expect(canonicalKey('rediss://:@host')).toBe('"rediss://:@host"');
  });

  it('hashes secrets: no secret in clear, equal secrets give equal keys', () => {
    const secret = 'SECRETFIXTURE-wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = 'SECRETFIXTURE-FQoGZXIvYXdzEXAMPLETOKEN';
    const spec = {
      SessionParameters: {
        aws_access_key_id: 'AKIAEXAMPLE',
        aws_secret_access_key: secret,
        aws_session_token: token,
      },
    };
    const key = canonicalKey(spec);
    expect(key).not.toContain(secret);
    expect(key).not.toContain(token);
    expect(key).toContain('AKIAEXAMPLE');
    expect(key).toContain('sha256:');
    expect(canonicalKey(structuredClone(spec))).toBe(key);
    const other = {
      SessionParameters: { ...spec.SessionParameters, aws_secret_access_key: `${secret}x` },
    };
    expect(canonicalKey(other)).not.toBe(key);
    expect(
      canonicalKey({ credentials: { accessKeyId: 'A', secretAccessKey: secret } }),
    ).not.toContain(secret);
    expect(canonicalKey({ WebIdentityToken: token, SAMLAssertion: secret })).not.toMatch(/EXAMPLE/);
  });

  it('keys functions and class instances by identity', () => {
    const f = () => 1;
    const g = () => 1;
    expect(canonicalKey({ f })).toBe(canonicalKey({ f }));
    expect(canonicalKey({ f })).not.toBe(canonicalKey({ f: g }));
    class Thing {}
    const t = new Thing();
    expect(canonicalKey(t)).toBe(canonicalKey(t));
    expect(canonicalKey(t)).not.toBe(canonicalKey(new Thing()));
  });

  it('encodes dates, nulls and scalars', () => {
    expect(canonicalKey({ d: new Date(0), n: null, b: true })).toBe(
      '{"b":true,"d":"1970-01-01T00:00:00.000Z","n":null}',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ClientCache } from '../src/ClientCache';

class FakeClient {
  destroyed = 0;
  constructor(readonly name: string) {}
  destroy(): void {
    this.destroyed += 1;
  }
}

describe('ClientCache', () => {
  it('creates once per key and reuses', () => {
    const cache = new ClientCache<FakeClient>(3);
    let created = 0;
    const make = () => new FakeClient(`c${++created}`);
    const a = cache.getOrCreate('a', make);
    expect(cache.getOrCreate('a', make)).toBe(a);
    expect(created).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('destroys the least recently used past its bound', () => {
    const cache = new ClientCache<FakeClient>(2);
    const a = cache.getOrCreate('a', () => new FakeClient('a'));
    const b = cache.getOrCreate('b', () => new FakeClient('b'));
    cache.get('a'); // a is now more recent than b
    const c = cache.getOrCreate('c', () => new FakeClient('c'));
    expect(b.destroyed).toBe(1);
    expect(a.destroyed).toBe(0);
    expect(c.destroyed).toBe(0);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('lists its keys, least recently used first', () => {
    const cache = new ClientCache<FakeClient>(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, new FakeClient(key));
    cache.get('a');
    expect([...cache.keys()]).toEqual(['b', 'c', 'a']);
  });

  it('destroys a replaced client, a deleted one and all on clear', () => {
    const cache = new ClientCache<FakeClient>(5);
    const a = new FakeClient('a');
    cache.set('k', a);
    const a2 = new FakeClient('a2');
    cache.set('k', a2);
    expect(a.destroyed).toBe(1);
    expect(cache.delete('k')).toBe(true);
    expect(cache.delete('k')).toBe(false);
    expect(a2.destroyed).toBe(1);
    const b = cache.getOrCreate('b', () => new FakeClient('b'));
    cache.clear();
    expect(b.destroyed).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new ClientCache(0)).toThrow(/positive integer/);
    expect(() => new ClientCache(1.5)).toThrow(RangeError);
  });
});

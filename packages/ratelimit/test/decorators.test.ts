import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitProperties, ratelimitedMethod } from '../src/index';

// vitest 4.1's transformer (oxc) does not lower standard (TC39) decorators, and Node 20 cannot run
// them, so these tests apply the decorator as the standard specifies (a function of the method
// and a context); the last one compiles real `@decorator` syntax with esbuild, as tsup does, and
// runs it against the built dist/.

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Method<This> = (this: This, id: string) => Promise<string>;

/** Applies a method decorator the way a standard decorator is applied to `Class.prototype[name]`. */
function decorate<This>(
  cls: { prototype: This },
  name: string,
  decorator: (m: Method<This>, c: ClassMethodDecoratorContext<This, Method<This>>) => Method<This>,
): void {
  const proto = cls.prototype as Record<string, Method<This>>;
  const context = {
    kind: 'method',
    name,
    static: false,
    private: false,
    metadata: {},
    access: { has: () => true, get: (o: This) => (o as Record<string, Method<This>>)[name]! },
    addInitializer: () => undefined,
  } as unknown as ClassMethodDecoratorContext<This, Method<This>>;
  proto[name] = decorator(proto[name]!, context);
}

describe('ratelimitedMethod', () => {
  it('with a selector uses each instance its own limit, read at each call', async () => {
    class Api {
      constructor(readonly limit: RateLimitProperties) {}
      async get(id: string): Promise<string> {
        return `${id} from ${this.limit.maxCount}`;
      }
    }
    decorate(
      Api,
      'get',
      ratelimitedMethod((self: Api) => self.limit),
    );
    const a = new Api(new RateLimitProperties({ maxCount: 1, interval: 1000 }));
    const b = new Api(new RateLimitProperties({ maxCount: 2, interval: 1000 }));
    expect(await a.get('x')).toBe('x from 1');
    await expect(a.get('y')).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    expect(await b.get('x')).toBe('x from 2');
    expect(await b.get('y')).toBe('y from 2');
    expect(a.limit.stats).toMatchObject({ granted: 1, rejected: 1 });
  });

  it('with options shares one limit between all instances of the class', async () => {
    class Api {
      async get(id: string): Promise<string> {
        return id;
      }
    }
    decorate(Api, 'get', ratelimitedMethod({ maxCount: 2, interval: '1s', block: true }));
    const a = new Api();
    const b = new Api();
    const results: string[] = [];
    const all = [a.get('a1'), b.get('b1'), a.get('a2')].map((p) =>
      p.then((v) => results.push(`${v}@${performance.now()}`)),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(all);
    expect(results).toEqual(['a1@0', 'b1@0', 'a2@1000']);
  });

  it('with a RateLimitProperties shares that limit with its other users', async () => {
    const limit = new RateLimitProperties({ maxCount: 1, interval: 1000 });
    class Api {
      async get(id: string): Promise<string> {
        return id;
      }
    }
    decorate(Api, 'get', ratelimitedMethod(limit));
    expect(limit.tryAcquire()).toBe(true);
    await expect(new Api().get('x')).rejects.toMatchObject({ name: 'RateLimitExceeded' });
  });

  it('refuses to decorate anything but a method', () => {
    const decorator = ratelimitedMethod({ maxCount: 1, interval: 1 }) as unknown as (
      m: unknown,
      c: { kind: string },
    ) => unknown;
    expect(() => decorator(undefined, { kind: 'field' })).toThrow(/decorates methods, not a field/);
  });

  it('compiles as a standard decorator with esbuild and runs against the built package', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const dist = pathToFileURL(join(here, '..', 'dist', 'index.js')).href;
    const source = readFileSync(join(here, 'fixtures', 'decorated-api.ts'), 'utf8');
    const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
    expect(code).not.toMatch(/^\s*@ratelimitedMethod/m); // lowered, not left as syntax
    const dir = mkdtempSync(join(tmpdir(), 'cs-ratelimit-'));
    try {
      const file = join(dir, 'decorated-api.mjs');
      writeFileSync(
        file,
        code.replace("'@cs/ratelimit'", `'${dist}'`).replace('"@cs/ratelimit"', `'${dist}'`),
      );
      const { Api } = (await import(pathToFileURL(file).href)) as {
        Api: new (maxCount: number) => {
          get(id: string): Promise<string>;
          refresh(): Promise<string>;
          calls: string[];
        };
      };
      const a = new Api(2);
      const b = new Api(1);
      expect(await a.get('1')).toBe('item 1');
      expect(await a.get('2')).toBe('item 2');
      await expect(a.get('3')).rejects.toMatchObject({ name: 'RateLimitExceeded' });
      expect(await b.get('1')).toBe('item 1');
      expect(a.calls).toEqual(['1', '2']);
      expect(await a.refresh()).toBe('refreshed');
      await expect(b.refresh()).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

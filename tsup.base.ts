import type { Options } from 'tsup';

/**
 * The one build configuration every package shares: ESM + CJS + `.d.ts`, Node 20, no bundling of
 * dependencies. A package's own `tsup.config.ts` is three lines on top of it.
 */
export const base: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
};

import { defineConfig } from 'tsup';
import { base } from '../../tsup.base';

// An application, not a library: ESM only; `cli` is the `cs-aws` command, `index` its API for tests.
export default defineConfig({
  ...base,
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  // Chunks, so that the SDK and the packages load only when a command needs them.
  splitting: true,
});

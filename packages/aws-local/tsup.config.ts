import { defineConfig } from 'tsup';
import { base } from '../../tsup.base';

// The `cs-aws-local` command is a second entry; it is ESM only (the package is `type: module`).
export default defineConfig([
  { ...base },
  { ...base, entry: { cli: 'src/cli.ts' }, format: ['esm'], dts: false, clean: false },
]);

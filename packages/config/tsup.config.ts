import { defineConfig } from 'tsup';
import { base } from '../../tsup.base';

// shims: the CJS build gets import.meta.url, from which the optional @cs/ratelimit-redis is
// required; __CS_CONFIG_CJS__ tells the code which build it is (src/build/redisStores.ts).
export default defineConfig({
  ...base,
  shims: true,
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, __CS_CONFIG_CJS__: String(format === 'cjs') };
  },
});

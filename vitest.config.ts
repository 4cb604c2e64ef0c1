import { defineConfig } from 'vitest/config';

// One root configuration whose projects cover every package and the README/docs examples
// (test/examples); `pnpm test` runs it after building.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test/examples'],
  },
});

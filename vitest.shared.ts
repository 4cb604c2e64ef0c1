import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Settings every package's vitest project merges. */
export const shared = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    unstubEnvs: true,
    // Fails a test file that prints a SECRETFIXTURE-shaped fixture secret (issue 9's secrets audit).
    setupFiles: [fileURLToPath(new URL('./test/secrets-audit.setup.ts', import.meta.url))],
  },
});

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
    // The SDK's notice that its 2027 releases need Node 22 (printed on Node 20 once per process,
    // so once per test worker): explained once in the README instead.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Fails a test file that prints a SECRETFIXTURE-shaped fixture secret (issue 9's secrets audit).
    setupFiles: [fileURLToPath(new URL('./test/secrets-audit.setup.ts', import.meta.url))],
  },
});

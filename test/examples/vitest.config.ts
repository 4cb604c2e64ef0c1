import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

// The README and docs/ examples (examples.test.ts): one process per example, so one file.
export default mergeConfig(
  shared,
  defineProject({ test: { name: 'examples', include: ['*.test.ts'], testTimeout: 150_000 } }),
);

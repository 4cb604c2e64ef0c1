import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

// Every test file starts its own servers and keeps no module state, so files share a worker's
// module cache: the four SDK clients are loaded once, not once per file.
export default mergeConfig(
  shared,
  defineProject({ test: { name: 'aws-local', isolate: false, fileParallelism: false } }),
);

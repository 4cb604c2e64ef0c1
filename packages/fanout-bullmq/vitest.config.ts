import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'fanout-bullmq',
      // The fault tests start their own redis-server, aws-local and worker processes; one file at
      // a time keeps the 2-core CI machine from starving the stall checks.
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);

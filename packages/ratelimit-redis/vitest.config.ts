import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'ratelimit-redis',
      // Starts one real redis-server for the whole project and stops it at the end.
      globalSetup: ['./test/global-setup.ts'],
    },
  }),
);

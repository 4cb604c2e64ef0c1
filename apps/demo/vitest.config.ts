import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

// End-to-end tests spawn the built command; on a loaded machine loading the AWS SDK alone can take
// seconds, hence a longer timeout than the packages' unit tests.
export default mergeConfig(shared, defineProject({ test: { name: 'demo', testTimeout: 60_000 } }));

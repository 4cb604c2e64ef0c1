import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

// isolate: false: the test files share one module graph per worker, so the AWS SDK and the
// generated validators are loaded once, not once per file (the tests restore what they change).
export default mergeConfig(shared, defineProject({ test: { name: 'config', isolate: false } }));

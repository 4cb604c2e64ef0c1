import type { TestProject } from 'vitest/node';
import type { RedisServer } from '../../../test/redis-server.mjs';
import { startRedisServer } from '../../../test/redis-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let server: RedisServer | undefined;

/** Starts one real redis-server (Debian's) for the whole project, on a free loopback port. */
export async function setup(project: TestProject): Promise<void> {
  server = await startRedisServer();
  project.provide('redisUrl', server.url);
}

/** Stops it at the end. */
export async function teardown(): Promise<void> {
  await server?.stop();
}

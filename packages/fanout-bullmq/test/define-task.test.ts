import { describe, expect, it } from 'vitest';
import {
  builtinTasks,
  defineTask,
  isQueueUsageError,
  isUnknownTaskError,
  submitRun,
  taskRegistry,
} from '../src/index';

describe('defineTask', () => {
  it('names a task and keeps its function', () => {
    const fn = () => 1;
    const task = defineTask('count-roles', fn);
    expect(task).toEqual({ name: 'count-roles', fn });
    expect(Object.isFrozen(task)).toBe(true);
  });

  it('refuses a name jobs could not carry, saying what a name may hold', () => {
    for (const name of ['', '1st', 'has space', 'x'.repeat(101)]) {
      const error = (() => {
        try {
          defineTask(name, () => 1);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(isQueueUsageError(error)).toBe(true);
      expect((error as Error).message).toMatch(/letters, digits/);
    }
  });

  it('builds an open registry: the built-in tasks, then the given ones, a later one replacing', () => {
    expect(builtinTasks.map((t) => t.name)).toEqual(['call', 'paginate', 'whoami']);
    const mine = defineTask('whoami', () => 'mine');
    const extra = defineTask('exec', () => 'exec');
    const registry = taskRegistry([mine, extra]);
    expect([...registry.keys()]).toEqual(['call', 'paginate', 'whoami', 'exec']);
    expect(registry.get('whoami')).toBe(mine);
    expect(taskRegistry(registry).get('exec')).toBe(extra);
  });

  it('refuses a run of a task the producer does not know before touching Redis', async () => {
    const error = await submitRun({
      connection: 'redis://127.0.0.1:1',
      config: { document: {} },
      task: 'nope',
    }).catch((e: unknown) => e);
    expect(isUnknownTaskError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /no task named "nope" \(known: call, paginate, whoami\)/,
    );
  });
});

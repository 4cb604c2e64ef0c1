import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('the public surface of @cs/fanout-bullmq', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ConfigurationMismatchError',
      'FanOutQueueError',
      'QueueUnreachableError',
      'QueueUsageError',
      'RemoteTaskError',
      'RunNotFoundError',
      'UnknownTaskError',
      'attachRun',
      'builtinTasks',
      'callTask',
      'defineTask',
      'isConfigurationMismatchError',
      'isFanOutQueueError',
      'isQueueUnreachableError',
      'isQueueUsageError',
      'isRemoteTaskError',
      'isRunNotFoundError',
      'isUnknownTaskError',
      'listRuns',
      'paginateTask',
      'startWorker',
      'submitRun',
      'taskRegistry',
      'whoamiTask',
    ]);
  });
});

/**
 * @cs/fanout-bullmq: the cs-aws fan-out over many worker processes and machines, on BullMQ and
 * Redis. Targets travel as references (configuration section and digest, entry, region), never as
 * credentials; workers build their RegionalAccounts from their own configuration, with every rate
 * limit in Redis; results stream back to the producer exactly once per target.
 *
 * @packageDocumentation
 */

export {
  builtinTasks,
  callTask,
  defineTask,
  paginateTask,
  taskRegistry,
  whoamiTask,
} from './defineTask';
export type { CallTaskInput, Task, TaskContext, TaskFunction, TaskRegistry } from './defineTask';
export {
  ConfigurationMismatchError,
  FanOutQueueError,
  isConfigurationMismatchError,
  isFanOutQueueError,
  isQueueUnreachableError,
  isQueueUsageError,
  isRemoteTaskError,
  isRunNotFoundError,
  isUnknownTaskError,
  QueueUnreachableError,
  QueueUsageError,
  RemoteTaskError,
  RunNotFoundError,
  UnknownTaskError,
} from './errors';
export type { ConfigIdentity, QueueConfig } from './internal/plan';
export type { RunState } from './internal/protocol';
export { startWorker } from './startWorker';
export type { FanOutWorker, WorkerOptions } from './startWorker';
export { attachRun, listRuns, submitRun } from './submitRun';
export type {
  CollectOptions,
  QueueConnection,
  QueuedRun,
  RunInfo,
  SubmitRunOptions,
} from './submitRun';

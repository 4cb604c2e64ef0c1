// The tasks of bench/fanout-bullmq, loaded by the producer and every worker.
import { defineTask } from '@cs/fanout-bullmq';

/** `calls` × EC2 DescribeInstances on the target (the throttling run's work). */
export const describe = defineTask('bench-describe', async (ra, input, { signal }) => {
  for (let i = 0; i < (input?.calls ?? 1); i += 1) {
    await ra.callClient('ec2', 'DescribeInstances', {}, undefined, { signal });
  }
  return null;
});

export const tasks = [describe];

// The tasks of bench/fanout-bullmq, loaded by the producer and every worker.
import { defineTask } from '@cs/fanout-bullmq';

/**
 * `calls` × EC2 DescribeInstances on the target (the throttling run's work); returns when each
 * request left (the RegionalAccount's `request` event, after every limit granted it; wall-clock
 * milliseconds, comparable across the processes of one machine).
 */
export const describe = defineTask('bench-describe', async (ra, input, { signal }) => {
  const sent = [];
  const onRequest = (event) => {
    if (event.service === 'ec2') sent.push(performance.timeOrigin + performance.now());
  };
  ra.on('request', onRequest);
  try {
    for (let i = 0; i < (input?.calls ?? 1); i += 1) {
      await ra.callClient('ec2', 'DescribeInstances', {}, undefined, { signal });
    }
  } finally {
    ra.off('request', onRequest);
  }
  return { sent };
});

export const tasks = [describe];

// The aws-local side of bench/fanout-bullmq, in its own process: a management account with a user,
// N member accounts with a role that trusts it. Obeys messages from run.mjs.
import { startLocalAws } from '@cs/aws-local';

const accounts = Number(process.argv[2] ?? 500);
const MGMT = '100000000000';
const key = { accessKeyId: 'AKIAFIXTUREBULLMQ001', secretAccessKey: 'fixture-secret-bullmq' };
const memberId = (i) => String(200000000000 + i);

const aws = await startLocalAws(
  {
    accounts: [
      { id: MGMT, name: 'management', users: [{ name: 'bench', accessKeys: [key] }] },
      ...Array.from({ length: accounts }, (_, i) => ({
        id: memberId(i),
        name: `member-${i}`,
        roles: [{ name: 'BenchRole', trust: [MGMT] }],
      })),
    ],
  },
  { logLimit: 200_000 },
);

process.on('message', (message) => {
  const reply = (value) => process.send({ id: message.id, value });
  switch (message.cmd) {
    case 'latency':
      aws.inject.latency(message.rule);
      return reply(true);
    case 'reset':
      aws.resetStats();
      return reply(true);
    case 'maxWindow': {
      // The most requests of one account in any window, over every account.
      let worst = 0;
      for (let i = 0; i < accounts; i += 1) {
        worst = Math.max(
          worst,
          aws.maxRequestsInWindow(message.windowMs, { account: memberId(i), ...message.filter }),
        );
      }
      return reply(worst);
    }
    case 'stats': {
      const { log: _log, ...stats } = aws.stats;
      return reply(stats);
    }
    case 'close':
      void aws.close().then(() => {
        reply(true);
        process.exit(0);
      });
      return undefined;
    default:
      return reply(null);
  }
});
// The parent died: stop too.
process.on('disconnect', () => void aws.close().then(() => process.exit(0)));
process.send({ ready: true, url: aws.url, key, management: MGMT });

// The aws-local side of bench/fanout, in its own process so that the client being measured has
// its own core: builds the fixture (a management account, N member accounts with a role that trusts
// it, an organisation), then obeys messages from run.mjs.
import { startLocalAws } from '@cs/aws-local';

const accounts = Number(process.argv[2] ?? 500);
const MGMT = '100000000000';
const key = { accessKeyId: 'AKIAFIXTUREFANOUT001', secretAccessKey: 'fixture-secret-fanout' };
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
    organization: { managementAccountId: MGMT },
  },
  { logLimit: 200_000 },
);

process.on('message', (message) => {
  const reply = (value) => process.send({ id: message.id, value });
  switch (message.cmd) {
    case 'latency':
      aws.inject.latency(message.rule);
      return reply(true);
    case 'rateLimit':
      aws.inject.rateLimit(message.rule);
      return reply(true);
    case 'clear':
      aws.inject.clear();
      return reply(true);
    case 'reset':
      aws.resetStats();
      return reply(true);
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
process.send({ ready: true, url: aws.url, key, management: MGMT });

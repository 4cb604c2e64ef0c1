// The aws-local side of bench/fanout-bullmq, in its own process: a management account with a user,
// N member accounts with a role that trusts it. Obeys messages from run.mjs (test/aws-local-process.mjs).
import { startLocalAws } from '@cs/aws-local';
import { memberAccounts, serveParent } from '../../test/aws-local-process.mjs';

const accounts = Number(process.argv[2] ?? 500);
const key = { accessKeyId: 'AKIAFIXTUREBULLMQ001', secretAccessKey: 'fixture-secret-bullmq' };

const aws = await startLocalAws(
  memberAccounts({ accounts, key, user: 'bench', role: 'BenchRole' }),
  { logLimit: 200_000 },
);
serveParent(aws, { accounts, key });

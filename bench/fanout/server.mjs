// The aws-local side of bench/fanout, in its own process so that the client being measured has
// its own core: builds the fixture (a management account, N member accounts with a role that trusts
// it, an organisation), then obeys messages from run.mjs (test/aws-local-process.mjs).
import { startLocalAws } from '@cs/aws-local';
import { memberAccounts, serveParent } from '../../test/aws-local-process.mjs';

const accounts = Number(process.argv[2] ?? 500);
const key = { accessKeyId: 'AKIAFIXTUREFANOUT001', secretAccessKey: 'fixture-secret-fanout' };

const aws = await startLocalAws(
  memberAccounts({ accounts, key, user: 'bench', role: 'BenchRole', organization: true }),
  { logLimit: 200_000 },
);
serveParent(aws, { accounts, key });

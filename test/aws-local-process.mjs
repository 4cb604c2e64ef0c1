// aws-local in a process of its own, forked by a benchmark (bench/fanout, bench/fanout-bullmq) or a
// test (@cs/fanout-bullmq's fixtures/aws-local.mjs), so that the client being measured or tested
// has its own core. One fixture and one message protocol for all of them. Plain JavaScript, so that
// the benchmarks run it on Node.js as it is.
//
// The forking file starts aws-local with `memberAccounts(...)` (it imports @cs/aws-local itself,
// which this shared folder does not depend on) and hands it to `serveParent`.

/** The management account of the fixture: it holds the user whose key signs every call. */
export const MANAGEMENT_ACCOUNT = '100000000000';

/**
 * The id of the i-th member account (from 0).
 *
 * @param {number} i
 * @returns {string}
 */
export const memberAccountId = (i) => String(200000000000 + i);

/**
 * The fixture: a management account with a user `user` holding `key`, and `accounts` member
 * accounts (`member-0`, ...), each with a role `role` that the management account may assume; with
 * `aliases`, each member has its name as its alias; with `organization`, the accounts form an
 * organisation managed by the management account.
 *
 * @param {{ accounts: number, key: { accessKeyId: string, secretAccessKey: string }, user: string,
 *   role: string, aliases?: boolean, organization?: boolean }} options
 * @returns {import('@cs/aws-local').Fixture}
 */
export function memberAccounts({
  accounts,
  key,
  user,
  role,
  aliases = false,
  organization = false,
}) {
  return {
    accounts: [
      { id: MANAGEMENT_ACCOUNT, name: 'management', users: [{ name: user, accessKeys: [key] }] },
      ...Array.from({ length: accounts }, (_, i) => ({
        id: memberAccountId(i),
        name: `member-${i}`,
        ...(aliases ? { aliases: [`member-${i}`] } : {}),
        roles: [{ name: role, trust: [MANAGEMENT_ACCOUNT] }],
      })),
    ],
    ...(organization ? { organization: { managementAccountId: MANAGEMENT_ACCOUNT } } : {}),
  };
}

/**
 * Serves the parent process: sends `{ ready, url, key, management, members }`, then answers each
 * message `{ id, cmd, ... }` with `{ id, value }`:
 * - `latency` / `rateLimit` `{ rule }`: injects the rule; `clear`: removes every rule;
 * - `reset`: resets the statistics; `stats` `{ times? }`: the statistics without the log (with
 *   `times`, the time of every logged request); `log` `{ filter? }`: the logged requests whose
 *   fields equal those of `filter` (`{ service, operation, account }`), with their time of arrival
 *   (this process's `performance.now()`);
 * - `maxWindow` `{ windowMs, filter? }`: the most requests of one member account in any window,
 *   over every member account;
 * - `close`: closes aws-local and exits. The parent's exit (disconnect) closes it too.
 *
 * @param {import('@cs/aws-local').LocalAws} aws
 * @param {{ accounts: number, key: { accessKeyId: string, secretAccessKey: string } }} fixture
 * @returns {void}
 */
export function serveParent(aws, { accounts, key }) {
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
      case 'maxWindow': {
        let worst = 0;
        for (let i = 0; i < accounts; i += 1) {
          worst = Math.max(
            worst,
            aws.maxRequestsInWindow(message.windowMs, {
              account: memberAccountId(i),
              ...message.filter,
            }),
          );
        }
        return reply(worst);
      }
      case 'stats': {
        const { log, ...stats } = aws.stats;
        return reply({ ...stats, times: message.times ? log.map((e) => e.time) : undefined });
      }
      case 'log':
        return reply(
          aws.stats.log.filter((e) =>
            Object.entries(message.filter ?? {}).every(([field, value]) => e[field] === value),
          ),
        );
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
  process.send({
    ready: true,
    url: aws.url,
    key,
    management: MANAGEMENT_ACCOUNT,
    members: accounts,
  });
}

// bench/credentials: 1,000 concurrent callers across 10 role chains of 2 hops on @cs/aws-local.
// Counts the STS AssumeRole calls each approach makes (target for @cs/session: exactly 20, one per
// hop per chain) and the wall time until every caller has made one signed GetCallerIdentity call
// with the chain's credentials, side by side with the SDK's own fromTemporaryCredentials: one
// provider per client (what a user writes when each client builds its own credentials), and one
// provider per chain shared by hand. One run, same server, same process.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { startLocalAws } from '@cs/aws-local';
import { clearSessionFactory, sessionFactory } from '@cs/session';

const CALLERS = 1000;
const CHAINS = 10;
const REGION = 'eu-west-1';
const KEY = { accessKeyId: 'AKIAFIXTUREBENCH001', secretAccessKey: 'fixture-secret-bench' };

const hop1 = (i) => `arn:aws:iam::222222222222:role/Hop1-${i}`;
const hop2 = (i) => `arn:aws:iam::333333333333:role/Hop2-${i}`;

const aws = await startLocalAws({
  accounts: [
    { id: '111111111111', users: [{ name: 'bench', accessKeys: [KEY] }] },
    {
      id: '222222222222',
      roles: Array.from({ length: CHAINS }, (_, i) => ({
        name: `Hop1-${i}`,
        trust: ['111111111111'],
      })),
    },
    {
      id: '333333333333',
      roles: Array.from({ length: CHAINS }, (_, i) => ({ name: `Hop2-${i}`, trust: [hop1(i)] })),
    },
  ],
});
const clientConfig = { region: REGION, endpoint: aws.url };

/** Runs `CALLERS` concurrent callers; caller n uses chain n % CHAINS through `clientFor(chain)`. */
async function measure(name, clientFor, cleanup, expected = '333333333333') {
  aws.resetStats();
  const started = performance.now();
  let failures = 0;
  const accounts = await Promise.all(
    Array.from({ length: CALLERS }, async (_, n) => {
      try {
        const out = await clientFor(n % CHAINS).send(new GetCallerIdentityCommand({}));
        return out.Account;
      } catch {
        failures += 1;
        return undefined;
      }
    }),
  );
  const ms = performance.now() - started;
  const stats = aws.stats;
  await cleanup?.();
  if (accounts.some((a) => a !== expected) && failures === 0)
    throw new Error(`${name}: wrong account`);
  return {
    name,
    assumeRole: stats.byOperation['sts:AssumeRole'] ?? 0,
    identity: stats.byOperation['sts:GetCallerIdentity'] ?? 0,
    failures,
    ms,
  };
}

const spec = (i) => ({
  SessionParameters: {
    aws_access_key_id: KEY.accessKeyId,
    aws_secret_access_key: KEY.secretAccessKey,
    region_name: REGION,
    EndpointUrl: aws.url,
  },
  AssumeRoles: [
    { RoleArn: hop1(i), RoleSessionName: 'bench' },
    { RoleArn: hop2(i), RoleSessionName: 'bench' },
  ],
});

const sdkChain = (i) =>
  fromTemporaryCredentials({
    params: { RoleArn: hop2(i), RoleSessionName: 'bench' },
    clientConfig,
    masterCredentials: fromTemporaryCredentials({
      params: { RoleArn: hop1(i), RoleSessionName: 'bench' },
      clientConfig,
      masterCredentials: KEY,
    }),
  });

const rows = [];
// Warm-up of module loading and the server (not measured).
const floorClient = new STSClient({ ...clientConfig, credentials: KEY });
await measure('warm-up', () => floorClient, undefined, '111111111111');
const floor = await measure(
  'floor: static keys, no role (one client)',
  () => floorClient,
  undefined,
  '111111111111',
);

rows.push(
  await measure(
    '@cs/session (sessionFactory + client())',
    (i) => sessionFactory(spec(i)).client(STSClient),
    () => clearSessionFactory(),
  ),
);
{
  const clients = [];
  rows.push(
    await measure(
      'SDK fromTemporaryCredentials, one provider per client',
      (i) => {
        const client = new STSClient({ ...clientConfig, credentials: sdkChain(i) });
        clients.push(client);
        return client;
      },
      () => clients.forEach((c) => c.destroy()),
    ),
  );
}
{
  const providers = Array.from({ length: CHAINS }, (_, i) => sdkChain(i));
  const clients = [];
  rows.push(
    await measure(
      'SDK fromTemporaryCredentials, one provider per chain shared by hand',
      (i) => {
        const client = new STSClient({ ...clientConfig, credentials: providers[i] });
        clients.push(client);
        return client;
      },
      () => clients.forEach((c) => c.destroy()),
    ),
  );
}
floorClient.destroy();
rows.push(floor);
await aws.close();

const base = rows[0].ms;
console.log(
  `${CALLERS} concurrent callers, ${CHAINS} role chains of 2 hops, @cs/aws-local, Node ${process.versions.node}\n`,
);
console.log(
  '| approach | STS AssumeRole calls | GetCallerIdentity calls | failed callers | wall time (ms) | time vs @cs/session |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.assumeRole} | ${r.identity} | ${r.failures} | ${r.ms.toFixed(0)} | ${(r.ms / base).toFixed(2)}x |`,
  );
}

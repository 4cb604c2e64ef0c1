import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { load } from 'js-yaml';
import type { Fixture } from './Fixture';
import type { LocalAws, LocalAwsModelControl } from './LocalAws';
import { FixtureError, LocalAwsError } from './errors';
import { Injector } from './internal/Injector';
import { buildModel } from './internal/model';
import { ALL_REGIONS } from './internal/regions';
import { createListener } from './internal/Server';
import { StatsRecorder } from './internal/StatsRecorder';

/** The default of {@link LocalAwsOptions.maxBodyBytes}. */
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options of {@link startLocalAws}. @public */
export interface LocalAwsOptions {
  /** TCP port. @defaultValue 0 (a random free port) */
  port?: number;
  /** Interface to listen on. @defaultValue `'127.0.0.1'` */
  host?: string;
  /**
   * The clock, in epoch milliseconds: credential expiry, issued `Expiration` and rate-limit
   * buckets read it.
   * @defaultValue `() => Date.now()`
   */
  now?: () => number;
  /** Random numbers in [0, 1) for fault probabilities and latency jitter. @defaultValue `Math.random` */
  random?: () => number;
  /** How many requests the log keeps (0 keeps none). @defaultValue 50000 */
  logLimit?: number;
  /**
   * The largest request body read, in bytes; a larger one (by its `content-length`, or as it
   * streams) is refused with 413 `RequestEntityTooLarge` and its connection closed, before any
   * more of it is read. AWS's query APIs take a few MB at most.
   * @defaultValue 4 MiB (4194304)
   */
  maxBodyBytes?: number;
}

/**
 * Starts a local AWS endpoint (STS, IAM, EC2, Organizations) on a real HTTP port, serving the
 * accounts of `fixture`. Point any AWS SDK v3 client at it with `endpoint: server.url`.
 *
 * @param fixture - The model, as an object or the path of a YAML (or JSON) file of the same shape.
 * @param options - Port, clock and log size.
 * @returns The running server; `close()` it when done.
 * @throws FixtureError naming every bad field; LocalAwsError when the file cannot be read or the
 * port cannot be bound.
 * @example
 * ```ts
 * const aws = await startLocalAws({
 *   accounts: [{ id: '111111111111', users: [{ name: 'ci', accessKeys: [{ accessKeyId: 'AKIAFIXTURE0000001', secretAccessKey: 'SECRETFIXTURE-example-1' }] }] }],
 * });
 * const sts = new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAFIXTURE0000001', secretAccessKey: 'SECRETFIXTURE-example-1' } });
 * console.log((await sts.send(new GetCallerIdentityCommand({}))).Account); // 111111111111
 * await aws.close();
 * ```
 * @public
 */
export async function startLocalAws(
  fixture: Fixture | string,
  options: LocalAwsOptions = {},
): Promise<LocalAws> {
  let input: unknown = fixture;
  let source = 'fixture';
  if (typeof fixture === 'string') {
    source = `fixture file ${fixture}`;
    let text: string;
    try {
      text = await readFile(fixture, 'utf8');
    } catch (error) {
      throw new LocalAwsError(
        `cannot read the @cs/aws-local fixture file ${fixture}: ${(error as Error).message}; pass an existing YAML file or a fixture object`,
      );
    }
    try {
      input = load(text);
    } catch (error) {
      throw new FixtureError(
        [{ path: '(file)', message: `not valid YAML: ${(error as Error).message}` }],
        source,
      );
    }
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new LocalAwsError(
      `@cs/aws-local: maxBodyBytes must be a positive integer of bytes, got ${String(maxBodyBytes)}`,
    );
  }
  const model = buildModel(input, source);
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const stats = new StatsRecorder(options.logLimit ?? 50_000);
  const injector = new Injector(now, random);
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(
    { keepAliveTimeout: 5000 },
    createListener({
      model,
      stats,
      injector,
      now,
      timers,
      maxBodyBytes,
    }),
  );
  server.on('connection', () => {
    stats.connections++;
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new LocalAwsError(
          `@cs/aws-local cannot listen on ${host}:${options.port ?? 0}: ${error.message}; choose another port`,
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const accountOf = (accountId: string) => {
    const account = model.accounts.get(accountId);
    if (account === undefined) {
      throw new LocalAwsError(
        `@cs/aws-local has no account ${accountId}; use one of the fixture's account ids`,
      );
    }
    return account;
  };
  const control: LocalAwsModelControl = {
    revokeAccessKey: (accessKeyId) => void model.keys.delete(accessKeyId),
    setRoleTrust(accountId, roleName, trust) {
      const role = accountOf(accountId).roles.get(roleName);
      if (role === undefined) {
        throw new LocalAwsError(
          `@cs/aws-local account ${accountId} has no role ${roleName}; use one of its fixture roles`,
        );
      }
      role.trust = [...trust];
    },
    setRegionEnabled(accountId, region, enabled) {
      if (!ALL_REGIONS.has(region))
        throw new LocalAwsError(`@cs/aws-local knows no region ${region}`);
      const account = accountOf(accountId);
      if (enabled) account.regions.add(region);
      else account.regions.delete(region);
    },
    expireSessions() {
      const t = now();
      for (const p of model.keys.values())
        if (p.expiresAt !== undefined) p.expiresAt = Math.min(p.expiresAt, t);
    },
  };

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    get stats() {
      return stats.snapshot();
    },
    resetStats: () => stats.reset(),
    maxRequestsInWindow: (windowMs, filter) => stats.maxInWindow(windowMs, filter),
    inject: injector,
    model: control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

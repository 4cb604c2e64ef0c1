import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from 'js-yaml';
import { isLocalAwsError, startLocalAws } from '../src/index';
import { ALICE, MGMT, fixture } from './fixture';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aws-local-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const handles = () => {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
};

/** Polls (bounded) until `check` holds: closing sockets settle within a few event-loop turns. */
async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (check()) return true;
    await new Promise((r) => setImmediate(r));
  }
  return check();
}

describe('close', () => {
  it('leaves no socket or timer behind, keep-alive and delayed responses included', async () => {
    const before = handles();
    const aws = await startLocalAws(fixture());
    const sts = new STSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    await sts.send(new GetCallerIdentityCommand({}));
    aws.inject.latency({ ms: 60_000 });
    const pending = sts.send(new GetCallerIdentityCommand({})).catch((e: Error) => e);
    await eventually(() => aws.stats.requests === 2);
    expect(handles().TCPServerWrap).toBe((before.TCPServerWrap ?? 0) + 1);
    await aws.close();
    expect(await pending).toBeInstanceOf(Error);
    sts.destroy();
    // No more than before: timers of the test runner itself may come and go meanwhile.
    const same = (k: string) => (handles()[k] ?? 0) <= (before[k] ?? 0);
    const settled = await eventually(
      () => same('TCPServerWrap') && same('TCPSocketWrap') && same('Timeout'),
    );
    expect(settled).toBe(true);
  });

  it('is idempotent', async () => {
    const aws = await startLocalAws(fixture());
    await Promise.all([aws.close(), aws.close()]);
    await aws.close();
  });

  it('reports a port in use as a LocalAwsError', async () => {
    const aws = await startLocalAws(fixture());
    const e = await startLocalAws(fixture(), { port: aws.port }).catch((err: unknown) => err);
    await aws.close();
    expect(isLocalAwsError(e)).toBe(true);
    expect((e as Error).message).toMatch(/cannot listen on 127\.0\.0\.1:\d+/);
  });
});

describe('YAML fixtures', () => {
  it('loads a fixture file', async () => {
    const file = join(dir, 'fixture.yaml');
    await writeFile(file, dump(fixture()));
    const aws = await startLocalAws(file);
    const sts = new STSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MGMT);
    sts.destroy();
    await aws.close();
  });

  it('names a missing file and a YAML syntax error', async () => {
    await expect(startLocalAws(join(dir, 'missing.yaml'))).rejects.toThrow(
      /cannot read the @cs\/aws-local fixture file .*missing\.yaml/,
    );
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'accounts: [\n');
    await expect(startLocalAws(file)).rejects.toMatchObject({
      name: 'FixtureError',
      message: expect.stringMatching(/broken\.yaml[\s\S]*not valid YAML/),
    });
  });
});

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

describe('cs-aws-local command', () => {
  it('prints its URL and serves the fixture until SIGTERM', async () => {
    expect(existsSync(cli), 'build the package first (dist/cli.js)').toBe(true);
    const file = join(dir, 'cli.yaml');
    await writeFile(file, dump(fixture()));
    const child = spawn(process.execPath, [cli, '--fixture', file, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sts = new STSClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: ALICE,
      maxAttempts: 1,
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MGMT);
    sts.destroy();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 with a clear message on a bad fixture', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'accounts:\n  - id: "12"\n');
    const child = spawn(process.execPath, [cli, '--fixture', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('accounts[0].id: must be a 12-digit account id');
  });
});

#!/usr/bin/env node
/**
 * `cs-aws-local --fixture file.yaml [--port N] [--host H]`: runs the local AWS endpoint until
 * interrupted, printing its URL on the first line of standard output.
 */
import { parseArgs } from 'node:util';
import { isLocalAwsError, startLocalAws } from './index';

const USAGE = 'usage: cs-aws-local --fixture FILE.yaml [--port N] [--host 127.0.0.1]';

async function main(): Promise<number> {
  let values: { fixture?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        fixture: { type: 'string', short: 'f' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`cs-aws-local: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.fixture === undefined) {
    process.stderr.write(`cs-aws-local: --fixture is required\n${USAGE}\n`);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `cs-aws-local: --port must be an integer from 0 to 65535, not "${values.port}"\n`,
    );
    return 2;
  }
  try {
    const aws = await startLocalAws(values.fixture, { port, host: values.host ?? '127.0.0.1' });
    process.stdout.write(`${aws.url}\n`);
    const stop = (): void => {
      void aws.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  } catch (error) {
    process.stderr.write(
      `cs-aws-local: ${isLocalAwsError(error) ? error.message : String(error)}\n`,
    );
    return 2;
  }
}

void main().then((code) => {
  if (code >= 0) process.exitCode = code;
});

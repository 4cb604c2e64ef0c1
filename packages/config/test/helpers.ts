import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { isConfigError } from '../src/index';
import type { ConfigError } from '../src/index';

/** The text of a fixture under test/fixtures. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

/** The environment the README configurations of the original need, with awkward values. */
export const readmeEnv = {
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY000001',
  // Characters that mean something in YAML: they must stay part of the value.
  AWS_SECRET_ACCESS_KEY: 'SECRETFIXTURE-readme: XUtn #FEMI/K7MDENG&*bPxRfiCY',
  AWS_ASSUME_ROLE: 'arn:aws:iam::123456789012:role/ReadOnly',
  EC2_VPC_ENDPOINT: 'https://vpce-0123-abcd.ec2.us-east-1.vpce.amazonaws.com',
  SQS_VPC_ENDPOINT_US_EAST_1: 'https://vpce-0456-efgh.sqs.us-east-1.vpce.amazonaws.com',
  SQS_VPC_ENDPOINT_US_WEST_2: 'https://vpce-0789-ijkl.sqs.us-west-2.vpce.amazonaws.com',
};

/** Runs `fn`, expects a ConfigError, and returns it. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(isConfigError(error), String(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** Awaits `promise`, expects a ConfigError, and returns it. */
export async function rejectedConfigError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(isConfigError(error), String(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but the promise resolved');
}

/** A logger that records what it is told. */
export function recordingLogger(): {
  warnings: string[];
  logger: { warn: (message: string) => void };
} {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (message: string) => warnings.push(message) } };
}

import http from 'node:http';
import https from 'node:https';
import { clearAccountFactory } from '@cs/account';
import { resolveRegions } from '@cs/regional';
import { clearSessionFactory } from '@cs/session';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildRegionalAccountSet, getSection, parseConfig } from '../src/index';
import { fixture, readmeEnv, recordingLogger } from './helpers';

// The two configurations of the original's README (SPEC 6), verbatim: anchors under a repeated
// top-level key, Jinja placeholders, `True`.

const targetsOf = (set: Iterable<{ region(): string; account(): unknown }>) =>
  [...set].map((ra) => ra.region()).sort();

describe("the original's README configurations", () => {
  beforeEach(() => {
    // Building must not reach the network: any request would go through these.
    vi.spyOn(http, 'request').mockImplementation(() => {
      throw new Error('no request may be sent while building');
    });
    vi.spyOn(https, 'request').mockImplementation(() => {
      throw new Error('no request may be sent while building');
    });
  });
  afterEach(() => {
    clearAccountFactory();
    clearSessionFactory();
  });

  it('two region groups: one account in every region of partition aws, plus aws-global', () => {
    const { warnings, logger } = recordingLogger();
    const config = parseConfig(fixture('two-region-groups.yaml.tmpl'), {
      env: readmeEnv,
      source: 'README-1.yaml',
      logger,
    });
    expect(warnings).toEqual([
      "README-1.yaml:26 the key 'RegionalAccounts' is repeated (first at line 16): the last one wins",
    ]);
    const section = getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet');
    expect(section[0]?.RegionalAccounts.Account?.SessionParameters).toEqual({
      aws_access_key_id: readmeEnv.AWS_ACCESS_KEY_ID,
      aws_secret_access_key: readmeEnv.AWS_SECRET_ACCESS_KEY,
    });
    expect(section[0]?.RegionalAccounts.RateLimit).toEqual({
      max_count: 10,
      interval: 1,
      block: true,
    });

    const set = buildRegionalAccountSet(section);
    const everyAwsRegion = resolveRegions({ Partitions: { aws: {} } });
    expect(everyAwsRegion.length).toBeGreaterThan(25);
    expect(targetsOf(set)).toEqual([...everyAwsRegion, 'aws-global'].sort());
    expect(targetsOf(set)).toContain('us-east-1');
    expect(targetsOf(set)).not.toContain('cn-north-1');
    expect(targetsOf(set)).not.toContain('us-gov-west-1');

    // One account (the same cached object) behind every target, with its role chain pending.
    const accounts = new Set([...set].map((ra) => ra.account()));
    expect(accounts.size).toBe(1);
    // Every RegionalAccount has the configured limit: 10 calls per second, waiting.
    for (const ra of set) {
      expect([ra.ratelimit.maxCount, ra.ratelimit.interval, ra.ratelimit.block]).toEqual([
        10,
        1000,
        true,
      ]);
    }
    expect(http.request).not.toHaveBeenCalled();
    expect(https.request).not.toHaveBeenCalled();
  });

  it('VPC endpoints: us-east-1 and aws-global, with the endpoints the rules of SPEC 3.1 give', () => {
    const config = parseConfig(fixture('vpc-endpoints.yaml.tmpl'), { env: readmeEnv });
    const set = buildRegionalAccountSet(
      getSection(config, 'YourApp.RegionalAccountSet', 'RegionalAccountSet'),
    );
    expect(targetsOf(set)).toEqual(['aws-global', 'us-east-1']);
    const endpoints = Object.fromEntries(
      [...set].map((ra) => {
        const session = ra.account().session();
        return [
          ra.region(),
          {
            ec2: session.clientConfig('ec2', ra.region()).endpoint,
            sqs: session.clientConfig('sqs', ra.region()).endpoint,
            sts: session.clientConfig('sts', ra.region()).endpoint,
          },
        ];
      }),
    );
    expect(endpoints).toEqual({
      // The ec2 URL names us-east-1: used there only; sqs has an entry for us-east-1 only.
      'us-east-1': {
        ec2: readmeEnv.EC2_VPC_ENDPOINT,
        sqs: readmeEnv.SQS_VPC_ENDPOINT_US_EAST_1,
        sts: undefined,
      },
      'aws-global': { ec2: undefined, sqs: undefined, sts: undefined },
    });
    expect(http.request).not.toHaveBeenCalled();
    expect(https.request).not.toHaveBeenCalled();
  });

  it('with a variable missing, the README configuration is a ConfigError naming it', () => {
    const { AWS_ASSUME_ROLE: _dropped, ...env } = readmeEnv;
    expect(() => parseConfig(fixture('two-region-groups.yaml.tmpl'), { env })).toThrow(
      /:8: the variable AWS_ASSUME_ROLE is not defined/,
    );
  });
});

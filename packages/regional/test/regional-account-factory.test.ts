import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { clearRegionalAccountFactory, regionalAccountFactory } from '../src/index';
import type { RegionalAccountSpec } from '../src/index';

const Account = {
  SessionParameters: {
    aws_access_key_id: 'AKIAFAKEFACTORY00001',
    aws_secret_access_key: 'SECRETFIXTURE-factory',
    region_name: 'eu-north-1',
  },
};

afterEach(() => clearRegionalAccountFactory());

describe('regionalAccountFactory', () => {
  it('returns one RegionalAccount, and so one rate limit, for one spec whatever its key order', () => {
    const a = regionalAccountFactory({
      RateLimit: { max_count: 5, interval: 1, block: true },
      Account,
      region_name: 'us-east-1',
    });
    const b = regionalAccountFactory({
      region_name: 'us-east-1',
      Account: { SessionParameters: { ...Account.SessionParameters } },
      RateLimit: { block: true, interval: 1, max_count: 5 },
    });
    expect(b).toBe(a);
    expect(b.ratelimit).toBe(a.ratelimit);
    expect(a.ratelimit).toMatchObject({ maxCount: 5, interval: 1000, block: true });
    expect(a.region()).toBe('us-east-1');
  });

  it('builds another RegionalAccount for another region or limit, on the same cached account', () => {
    const spec: RegionalAccountSpec = {
      RateLimit: { max_count: 5, interval: 1 },
      Account,
      region_name: 'us-east-1',
    };
    const east = regionalAccountFactory(spec);
    const west = regionalAccountFactory({ ...spec, region_name: 'us-west-2' });
    const faster = regionalAccountFactory({ ...spec, RateLimit: { max_count: 50, interval: 1 } });
    expect(west).not.toBe(east);
    expect(faster).not.toBe(east);
    expect(west.account()).toBe(east.account());
  });

  it("defaults the region to the session's and passes operation limits, adaptive mode and maxAttempts", async () => {
    const ra = regionalAccountFactory({
      Account,
      RateLimitOperationSpec: { 'iam:list_roles': { max_count: 1, interval: 1 } },
      Adaptive: { decrease: 0.5 },
      MaxAttempts: 4,
    });
    expect(ra.region()).toBe('eu-north-1');
    expect([...ra.operationLimits.keys()]).toEqual(['iam:listroles']);
    expect(ra.maxAttempts).toBe(4);
    expect(await ra.client(STSClient).config.maxAttempts()).toBe(4);
    expect(ra.adaptiveMaxCount).toBeUndefined();
  });

  it('never puts a secret in what it shows', () => {
    const ra = regionalAccountFactory({ Account, region_name: 'us-east-1' });
    expect(JSON.stringify(ra)).not.toContain('SECRETFIXTURE-factory');
    expect(String(ra)).toBe('RegionalAccount(us-east-1)');
  });
});

// SPEC 10: the builders never change the configuration they are given; one section object,
// frozen or not, can build again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import {
  buildAccount,
  buildRegionalAccount,
  buildRegionalAccountSet,
  buildRegionalAccounts,
  buildSession,
  validateSection,
} from '../src/index';

const KEY = { accessKeyId: 'AKIAFIXTUREFROZEN001', secretAccessKey: 'SECRETFIXTURE-frozen' };

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    }
  }
  return value;
};

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({
    accounts: [{ id: '111111111111', users: [{ name: 'ci', accessKeys: [KEY] }] }],
  });
});
afterAll(() => aws.close());

describe('builders leave deep-frozen sections as they were', () => {
  it('buildSession, buildAccount, buildRegionalAccount(s), buildRegionalAccountSet and validateSection', async () => {
    const session = {
      aws_access_key_id: KEY.accessKeyId,
      aws_secret_access_key: KEY.secretAccessKey,
      region_name: 'eu-west-1',
      EndpointUrl: '',
    };
    const sections = deepFreeze({
      session: { SessionParameters: { ...session, EndpointUrl: aws.url } },
      regional: {
        Account: { SessionParameters: { ...session, EndpointUrl: aws.url } },
        region_name: 'eu-west-1',
        RateLimit: { max_count: 5, interval: 1, block: true },
        RateLimitOperationSpec: {
          'sts:GetCallerIdentity': { max_count: 5, interval: '1s', block: true },
        },
      },
      set: [
        {
          RegionalAccounts: {
            Account: { SessionParameters: { ...session, EndpointUrl: aws.url } },
            RateLimitRegionSpec: { 'eu-west-1': { max_count: 5, interval: 1, block: true } },
            Filter: { Partitions: { aws: { Regions: { include: ['eu-west-1', 'us-east-1'] } } } },
          },
        },
      ],
    });
    const before = structuredClone(sections);
    expect(await buildSession(sections.session as never).accountId()).toBe('111111111111');
    expect(await buildAccount(sections.session as never).accountId()).toBe('111111111111');
    const ra = buildRegionalAccount(sections.regional);
    await ra.callClient('sts', 'GetCallerIdentity');
    const container = buildRegionalAccounts(sections.set[0]!.RegionalAccounts);
    expect([...container.keys()].sort()).toEqual(['eu-west-1', 'us-east-1']);
    const set = buildRegionalAccountSet(sections.set);
    const report = await set.map((target, signal) =>
      target.callClient('sts', 'GetCallerIdentity', {}, undefined, { signal }),
    );
    expect(report.summary.succeeded).toBe(2);
    validateSection('RegionalAccountSet', sections.set);
    expect(sections).toEqual(before);
    for (const target of set) target.destroy();
    ra.destroy();
  });

  it('validateSection coerces into a copy: "5" becomes 5 and yes becomes true in its result, never in the caller\'s object', () => {
    const limit = { max_count: '5', interval: '1', block: 'yes' };
    const nested = { Account: {}, RateLimit: limit, region_name: 'eu-west-1' };
    const before = structuredClone(nested);
    const coerced = validateSection('RegionalAccount', nested) as unknown as {
      RateLimit: { max_count: unknown; interval: unknown; block: unknown };
    };
    expect(coerced.RateLimit).toEqual({ max_count: 5, interval: 1, block: true });
    expect(nested).toEqual(before);
    expect(coerced).not.toBe(nested);
    // Nothing to convert: the same object back.
    const clean = { max_count: 5, interval: 1, block: true };
    expect(validateSection('RateLimit', clean)).toBe(clean);
  });
});

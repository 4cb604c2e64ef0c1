import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "AssumeRoleError",
        "ClientCache",
        "CredentialsExpiredError",
        "EndpointConfigError",
        "RegionMissingError",
        "Session",
        "SessionError",
        "SessionParametersError",
        "canonicalKey",
        "clearSessionFactory",
        "isAssumeRoleError",
        "isCredentialsExpiredError",
        "isEndpointConfigError",
        "isRegionMissingError",
        "isSessionError",
        "isSessionParametersError",
        "sessionFactory",
        "stripResponse",
      ]
    `);
  });
});

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
        "Session",
        "SessionError",
        "SessionParametersError",
        "canonicalKey",
        "clearSessionFactory",
        "isAssumeRoleError",
        "isCredentialsExpiredError",
        "isEndpointConfigError",
        "isSessionError",
        "isSessionParametersError",
        "sessionFactory",
        "stripResponse",
      ]
    `);
  });
});

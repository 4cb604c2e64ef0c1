import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('the public surface of @cs/regional', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "AccountNotActiveError",
        "AwsClientError",
        "DEFAULT_CLIENT_CACHE_SIZE",
        "FanOutReport",
        "FanOutStoppedError",
        "FilterNotReplaceableError",
        "NotRegionalAccountsError",
        "ORGANIZATIONS_DEFAULT_RATE_LIMIT",
        "OperationNotPaginatedError",
        "OrganizationAccounts",
        "OrganizationSpecError",
        "RegionDiscoveryRequiredError",
        "RegionFilterError",
        "RegionNotSelectedError",
        "RegionRequiredError",
        "RegionalAccount",
        "RegionalAccountSet",
        "RegionalAccounts",
        "RegionalError",
        "ServiceClientNotInstalledError",
        "UnknownOperationError",
        "classifyError",
        "clearRegionalAccountFactory",
        "clearRegionalAccountsFactory",
        "isAccountNotActiveError",
        "isAwsClientError",
        "isFanOutStoppedError",
        "isFilterNotReplaceableError",
        "isNotRegionalAccountsError",
        "isOperationNotPaginatedError",
        "isOrganizationSpecError",
        "isRegionDiscoveryRequiredError",
        "isRegionFilterError",
        "isRegionNotSelectedError",
        "isRegionRequiredError",
        "isRegionalAccounts",
        "isRegionalError",
        "isServiceClientNotInstalledError",
        "isUnknownOperationError",
        "regionalAccountFactory",
        "regionalAccountSetFactory",
        "regionalAccountSetFromOrganization",
        "regionalAccountsFactory",
        "resolveRegions",
      ]
    `);
  });
});

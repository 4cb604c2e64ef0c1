import type { Call, Handler } from './Call';
import type { AccountModel, OrganizationModel } from './model';
import { failure, jsonReply, type ApiFailure, type Reply } from './wire';

const PAGE_LIMIT = 20;
const JOINED = Date.UTC(2024, 0, 1) / 1000;

/** The organisation, when the caller may read it (the management account). */
function organizationFor(call: Call): OrganizationModel | ApiFailure {
  const org = call.model.organization;
  if (org === undefined || call.account === undefined) {
    return failure(
      400,
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  if (call.account.id !== org.managementAccountId) {
    return failure(
      400,
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    );
  }
  return org;
}

/** One page of `items`, with a NextToken bound to the operation and parent. */
function page<T>(
  call: Call,
  items: T[],
  key: string,
  scope: string,
  render: (item: T) => unknown,
): Reply | ApiFailure {
  const maxValue = call.json.MaxResults;
  const max = maxValue === undefined || maxValue === null ? PAGE_LIMIT : Number(maxValue);
  if (!Number.isInteger(max) || max < 1 || max > PAGE_LIMIT) {
    return failure(
      400,
      'InvalidInputException',
      `You provided a value that does not match the required pattern: MaxResults must be from 1 to ${PAGE_LIMIT}.`,
    );
  }
  let offset = 0;
  const nextToken = call.json.NextToken;
  if (typeof nextToken === 'string' && nextToken !== '') {
    const [op, sc, at] = Buffer.from(nextToken, 'base64url').toString('utf8').split('|');
    offset = Number(at);
    if (op !== call.operation || sc !== scope || !Number.isInteger(offset) || offset < 0) {
      return failure(
        400,
        'InvalidInputException',
        'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.',
      );
    }
  }
  const slice = items.slice(offset, offset + max);
  const out: Record<string, unknown> = { [key]: slice.map(render) };
  if (offset + max < items.length) {
    out.NextToken = Buffer.from(`${call.operation}|${scope}|${offset + max}`).toString('base64url');
  }
  return jsonReply(out);
}

const accountJson = (org: OrganizationModel) => (a: AccountModel) => ({
  Id: a.id,
  Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
  Email: a.email,
  Name: a.name,
  Status: a.status,
  State: a.status,
  JoinedMethod: a.id === org.managementAccountId ? 'INVITED' : 'CREATED',
  JoinedTimestamp: JOINED,
});

const sortedAccounts = (call: Call): AccountModel[] =>
  [...call.model.accounts.values()].sort((a, b) => (a.id < b.id ? -1 : 1));

const listAccounts: Handler = (call) => {
  const org = organizationFor(call);
  if ('code' in org) return org;
  return page(call, sortedAccounts(call), 'Accounts', '', accountJson(org));
};

/** The parent id from the request, checked against the root and the units. */
function parentOf(call: Call, org: OrganizationModel): string | ApiFailure {
  const parentId = call.json.ParentId;
  if (typeof parentId !== 'string' || parentId === '') {
    return failure(
      400,
      'InvalidInputException',
      'You must specify ParentId, the id of a root or an organizational unit.',
    );
  }
  if (parentId !== org.rootId && !org.units.some((u) => u.id === parentId)) {
    return failure(
      400,
      'ParentNotFoundException',
      "We can't find a root or OU with the ParentId that you specified.",
    );
  }
  return parentId;
}

const listAccountsForParent: Handler = (call) => {
  const org = organizationFor(call);
  if ('code' in org) return org;
  const parentId = parentOf(call, org);
  if (typeof parentId !== 'string') return parentId;
  const accounts = sortedAccounts(call).filter((a) => a.parentId === parentId);
  return page(call, accounts, 'Accounts', parentId, accountJson(org));
};

const listOrganizationalUnitsForParent: Handler = (call) => {
  const org = organizationFor(call);
  if ('code' in org) return org;
  const parentId = parentOf(call, org);
  if (typeof parentId !== 'string') return parentId;
  const units = org.units.filter((u) => u.parentId === parentId);
  return page(call, units, 'OrganizationalUnits', parentId, (u) => ({
    Id: u.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${u.id}`,
    Name: u.name,
  }));
};

const listRoots: Handler = (call) => {
  const org = organizationFor(call);
  if ('code' in org) return org;
  return page(call, [org.rootId], 'Roots', '', (id) => ({
    Id: id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${id}`,
    Name: 'Root',
    PolicyTypes: [],
  }));
};

const describeOrganization: Handler = (call) => {
  const org = call.model.organization;
  if (org === undefined || call.account === undefined) {
    return failure(
      400,
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  // Any member may describe its organisation, as in AWS.
  const master = call.model.accounts.get(org.managementAccountId);
  return jsonReply({
    Organization: {
      Id: org.id,
      Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
      MasterAccountId: org.managementAccountId,
      MasterAccountEmail: master?.email,
      AvailablePolicyTypes: [],
    },
  });
};

const listTagsForResource: Handler = (call) => {
  const org = organizationFor(call);
  if ('code' in org) return org;
  const resourceId = call.json.ResourceId;
  if (typeof resourceId !== 'string' || resourceId === '') {
    return failure(
      400,
      'InvalidInputException',
      'You must specify ResourceId, the id of an account, an OU, the root or a policy.',
    );
  }
  const account = call.model.accounts.get(resourceId);
  if (account === undefined || !/^\d{12}$/.test(resourceId)) {
    return failure(
      400,
      'TargetNotFoundException',
      "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    );
  }
  const tags = [...account.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return page(call, tags, 'Tags', resourceId, ([Key, Value]) => ({ Key, Value }));
};

/** Organizations operations by name. @internal */
export const organizationsHandlers: ReadonlyMap<string, Handler> = new Map([
  ['ListAccounts', listAccounts],
  ['ListAccountsForParent', listAccountsForParent],
  ['ListOrganizationalUnitsForParent', listOrganizationalUnitsForParent],
  ['ListRoots', listRoots],
  ['DescribeOrganization', describeOrganization],
  ['ListTagsForResource', listTagsForResource],
]);

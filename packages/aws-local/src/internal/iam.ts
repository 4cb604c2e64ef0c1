import type { Handler } from './Call';
import { failure, xml, xmlReply } from './wire';

const ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

const listAccountAliases: Handler = (call) =>
  xmlReply(
    'iam',
    'ListAccountAliases',
    `<IsTruncated>false</IsTruncated><AccountAliases>${call.account!.aliases.map((a) => `<member>${xml(a)}</member>`).join('')}</AccountAliases>`,
    call.requestId,
  );

const createAccountAlias: Handler = (call) => {
  const alias = call.query.get('AccountAlias') ?? '';
  if (!ALIAS.test(alias)) {
    return failure(
      400,
      'ValidationError',
      `1 validation error detected: Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`,
    );
  }
  const account = call.account!;
  for (const other of call.model.accounts.values()) {
    if (other !== account && other.aliases.includes(alias)) {
      return failure(409, 'EntityAlreadyExists', `The account alias ${alias} already exists.`);
    }
  }
  // AWS keeps one alias per account: a new one replaces the old.
  account.aliases = [alias];
  return xmlReply('iam', 'CreateAccountAlias', undefined, call.requestId);
};

const CREATED = '2024-01-01T00:00:00Z';
const IAM_PAGE_LIMIT = 100;

/** One page of an IAM list (`Marker`/`MaxItems`, as IAM paginates), or the error IAM gives. */
function iamPage<T>(
  call: Parameters<Handler>[0],
  items: T[],
  element: string,
  render: (item: T) => string,
): ReturnType<Handler> {
  const maxText = call.query.get('MaxItems');
  const max = maxText === null ? IAM_PAGE_LIMIT : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    return failure(
      400,
      'ValidationError',
      `1 validation error detected: Value '${maxText ?? ''}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const marker = call.query.get('Marker');
  let offset = 0;
  if (marker !== null && marker !== '') {
    const [op, at] = Buffer.from(marker, 'base64url').toString('utf8').split('|');
    offset = Number(at);
    if (op !== `${call.account!.id}/${call.operation}` || !Number.isInteger(offset) || offset < 0) {
      return failure(400, 'ValidationError', 'Invalid Marker.');
    }
  }
  const slice = items.slice(offset, offset + max);
  const truncated = offset + max < items.length;
  const next = truncated
    ? `<Marker>${Buffer.from(`${call.account!.id}/${call.operation}|${offset + max}`).toString('base64url')}</Marker>`
    : '';
  return xmlReply(
    'iam',
    call.operation,
    `<IsTruncated>${truncated}</IsTruncated>${next}<${element}>${slice.map((i) => `<member>${render(i)}</member>`).join('')}</${element}>`,
    call.requestId,
  );
}

const listUsers: Handler = (call) => {
  const account = call.account!;
  const users = new Map<string, { name: string; arn: string; userId: string }>();
  for (const principal of call.model.keys.values()) {
    const user = principal.user;
    if (user !== undefined && user.accountId === account.id) users.set(user.name, user);
  }
  const sorted = [...users.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return iamPage(
    call,
    sorted,
    'Users',
    (u) =>
      `<Path>/</Path><UserName>${xml(u.name)}</UserName><UserId>${xml(u.userId)}</UserId><Arn>${xml(u.arn)}</Arn><CreateDate>${CREATED}</CreateDate>`,
  );
};

const listRoles: Handler = (call) => {
  const roles = [...call.account!.roles.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return iamPage(
    call,
    roles,
    'Roles',
    (r) =>
      `<Path>/</Path><RoleName>${xml(r.name)}</RoleName><RoleId>${xml(r.roleId)}</RoleId><Arn>${xml(r.arn)}</Arn><CreateDate>${CREATED}</CreateDate><MaxSessionDuration>${r.maxSessionDuration}</MaxSessionDuration>`,
  );
};

/** IAM operations by name. @internal */
export const iamHandlers: ReadonlyMap<string, Handler> = new Map([
  ['ListAccountAliases', listAccountAliases],
  ['CreateAccountAlias', createAccountAlias],
  ['ListUsers', listUsers],
  ['ListRoles', listRoles],
]);

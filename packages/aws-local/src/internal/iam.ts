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

/** IAM operations by name. @internal */
export const iamHandlers: ReadonlyMap<string, Handler> = new Map([
  ['ListAccountAliases', listAccountAliases],
  ['CreateAccountAlias', createAccountAlias],
]);

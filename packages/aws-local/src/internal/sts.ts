import { randomBytes } from 'node:crypto';
import type { Call, Handler } from './Call';
import type { Principal, RoleModel } from './model';
import { failure, xml, xmlReply, type ApiFailure, type Reply } from './wire';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const randomKeyId = (): string => {
  const bytes = randomBytes(16);
  let id = 'ASIA';
  for (const b of bytes) id += KEY_ALPHABET[b & 31];
  return id;
};

const identity: Handler = (call) => {
  const p = call.principal!;
  return xmlReply(
    'sts',
    'GetCallerIdentity',
    `<Arn>${xml(p.arn)}</Arn><UserId>${xml(p.userId)}</UserId><Account>${p.accountId}</Account>`,
    call.requestId,
  );
};

const trusts = (role: RoleModel, p: Principal): boolean =>
  role.trust.some(
    (t) =>
      t === '*' ||
      t === p.accountId ||
      t === `arn:aws:iam::${p.accountId}:root` ||
      t === p.arn ||
      (p.roleArn !== undefined && t === p.roleArn),
  );

interface RoleRequest {
  role: RoleModel;
  sessionName: string;
  duration: number;
}

/** Validates RoleArn, RoleSessionName and DurationSeconds the way STS does. */
function roleRequest(call: Call, chained: boolean): RoleRequest | ApiFailure {
  const q = call.query;
  const roleArn = q.get('RoleArn');
  const sessionName = q.get('RoleSessionName');
  const durationText = q.get('DurationSeconds');
  if (roleArn === null) {
    return failure(
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (sessionName === null || !SESSION_NAME.test(sessionName)) {
    return failure(
      400,
      'ValidationError',
      `1 validation error detected: Value '${sessionName ?? 'null'}' at 'roleSessionName' failed to satisfy constraint: Member must have length 2 to 64 and match [\\w+=,.@-]*`,
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) return failure(400, 'ValidationError', `${roleArn} is invalid`);
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    return failure(
      400,
      'ValidationError',
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const who = call.principal?.arn ?? 'web identity';
  const denied = failure(
    403,
    'AccessDenied',
    `User: ${who} is not authorized to perform: sts:${call.operation} on resource: ${roleArn}`,
  );
  const account = call.model.accounts.get(match[1]!);
  const role = account?.roles.get(match[2]!);
  if (
    account === undefined ||
    role === undefined ||
    role.arn !== `arn:aws:iam::${match[1]}:role/${match[2]}`
  )
    return denied;
  if (account.status === 'SUSPENDED') return denied;
  if (duration > role.maxSessionDuration) {
    return failure(
      400,
      'ValidationError',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role (${role.maxSessionDuration}).`,
    );
  }
  if (chained && duration > 3600) {
    return failure(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  return { role, sessionName, duration };
}

/** Issues session credentials and registers them as a principal. */
function issue(call: Call, r: RoleRequest, resultHead: string, resultTail: string): Reply {
  const lifetime = call.model.sessionLifetimeSeconds ?? r.duration;
  const expiresAt = call.now + lifetime * 1000;
  const accessKeyId = randomKeyId();
  // Issued secrets carry the SECRETFIXTURE marker, so a test's leak audit recognises them too.
  const secret = `SECRETFIXTURE-issued-${randomBytes(24).toString('base64url')}`;
  const sessionToken = `SECRETFIXTURE-issued-token-${randomBytes(96).toString('base64url')}`;
  const arn = `arn:aws:sts::${r.role.accountId}:assumed-role/${r.role.name}/${r.sessionName}`;
  const userId = `${r.role.roleId}:${r.sessionName}`;
  const keys = call.model.keys;
  if (keys.size > 50_000) {
    for (const [id, p] of keys)
      if (p.expiresAt !== undefined && p.expiresAt <= call.now) keys.delete(id);
  }
  keys.set(accessKeyId, {
    accessKeyId,
    secret,
    accountId: r.role.accountId,
    arn,
    userId,
    user: undefined,
    sessionToken,
    expiresAt,
    roleArn: r.role.arn,
  });
  const result =
    `${resultHead}<AssumedRoleUser><Arn>${xml(arn)}</Arn><AssumedRoleId>${xml(userId)}</AssumedRoleId></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey>` +
    `<SessionToken>${sessionToken}</SessionToken><Expiration>${new Date(expiresAt).toISOString()}</Expiration></Credentials>` +
    `<PackedPolicySize>0</PackedPolicySize>${resultTail}`;
  return xmlReply('sts', call.operation, result, call.requestId);
}

const assumeRole: Handler = (call) => {
  const p = call.principal!;
  const r = roleRequest(call, p.roleArn !== undefined);
  if ('code' in r) return r;
  const { role } = r;
  const denied = failure(
    403,
    'AccessDenied',
    `User: ${p.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
  );
  if (!trusts(role, p)) return denied;
  const externalId = call.query.get('ExternalId');
  if (role.externalId !== undefined && externalId !== role.externalId) return denied;
  const serial = call.query.get('SerialNumber');
  const code = call.query.get('TokenCode');
  if (role.mfaRequired && (serial === null || code === null)) return denied;
  if (serial !== null || code !== null) {
    const user = p.user;
    if (user?.mfaSerial === undefined || serial !== user.mfaSerial || code !== user.mfaCode) {
      return failure(
        403,
        'AccessDenied',
        'MultiFactorAuthentication failed with invalid MFA one time pass code.',
      );
    }
  }
  return issue(call, r, '', '');
};

const assumeRoleWithWebIdentity: Handler = (call) => {
  const r = roleRequest(call, false);
  if ('code' in r) return r;
  const token = call.query.get('WebIdentityToken') ?? '';
  const known = call.model.webIdentityTokens.get(token);
  if (known === undefined) {
    return failure(
      400,
      'InvalidIdentityToken',
      'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
    );
  }
  if (!r.role.trustWebIdentity.includes(known.provider)) {
    return failure(
      403,
      'AccessDenied',
      `Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: ${r.role.arn}`,
    );
  }
  return issue(
    call,
    r,
    `<SubjectFromWebIdentityToken>${xml(known.subject)}</SubjectFromWebIdentityToken><Audience>cs-aws-local</Audience>`,
    `<Provider>${xml(known.provider)}</Provider>`,
  );
};

/** STS operations by name. @internal */
export const stsHandlers: ReadonlyMap<string, Handler> = new Map([
  ['GetCallerIdentity', identity],
  ['AssumeRole', assumeRole],
  ['AssumeRoleWithWebIdentity', assumeRoleWithWebIdentity],
]);

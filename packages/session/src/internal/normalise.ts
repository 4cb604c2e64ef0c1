import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { SessionParametersError } from '../errors';
import type {
  AssumeRoleMethod,
  AssumeRoleParams,
  ServiceEndpoints,
  SessionParameters,
} from '../types';

/**
 * Session parameters in one spelling: the SDK-style names of {@link SessionParameters}, and its
 * endpoint settings in camelCase.
 */
export type NormalisedParameters = Pick<
  SessionParameters,
  'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'region' | 'profile' | 'credentials'
> & {
  serviceEndpoints?: SessionParameters['ServiceEndpoints'];
  endpointUrl?: SessionParameters['EndpointUrl'];
};

const PAIRS = [
  ['aws_access_key_id', 'accessKeyId'],
  ['aws_secret_access_key', 'secretAccessKey'],
  ['aws_session_token', 'sessionToken'],
  ['region_name', 'region'],
  ['profile_name', 'profile'],
] as const;

const KNOWN = new Set<string>([...PAIRS.flat(), 'credentials', 'ServiceEndpoints', 'EndpointUrl']);

/** Reads either spelling of the session parameters; refuses unknown names, conflicts and half credentials. */
export function normaliseParameters(
  parameters: SessionParameters | undefined,
): NormalisedParameters {
  const given = (parameters ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new SessionParametersError('SessionParameters', 'must be an object');
  }
  for (const key of Object.keys(given)) {
    if (!KNOWN.has(key)) {
      throw new SessionParametersError(
        `SessionParameters.${key}`,
        `unknown parameter; accepted: ${[...KNOWN].join(', ')}`,
      );
    }
  }
  const out: NormalisedParameters = {};
  for (const [boto, sdk] of PAIRS) {
    const a = given[boto];
    const b = given[sdk];
    for (const [name, value] of [
      [boto, a],
      [sdk, b],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || value === '')) {
        throw new SessionParametersError(`SessionParameters.${name}`, 'must be a non-empty string');
      }
    }
    if (a !== undefined && b !== undefined && a !== b) {
      throw new SessionParametersError(
        `SessionParameters.${boto}`,
        `conflicts with ${sdk}; give one of the two spellings`,
      );
    }
    const value = (a ?? b) as string | undefined;
    if (value !== undefined) out[sdk] = value;
  }
  if ((out.accessKeyId === undefined) !== (out.secretAccessKey === undefined)) {
    throw new SessionParametersError(
      out.accessKeyId === undefined
        ? 'SessionParameters.aws_access_key_id'
        : 'SessionParameters.aws_secret_access_key',
      'an access key id and a secret access key go together; give both or neither',
    );
  }
  if (out.sessionToken !== undefined && out.accessKeyId === undefined) {
    throw new SessionParametersError(
      'SessionParameters.aws_session_token',
      'a session token needs an access key id and a secret access key',
    );
  }
  const credentials = given.credentials;
  if (credentials !== undefined) {
    const ok =
      typeof credentials === 'function' ||
      (typeof credentials === 'object' &&
        credentials !== null &&
        typeof (credentials as AwsCredentialIdentity).accessKeyId === 'string' &&
        typeof (credentials as AwsCredentialIdentity).secretAccessKey === 'string');
    if (!ok) {
      throw new SessionParametersError(
        'SessionParameters.credentials',
        'must be an identity { accessKeyId, secretAccessKey, sessionToken? } or a provider function',
      );
    }
    out.credentials = credentials as AwsCredentialIdentity | AwsCredentialIdentityProvider;
  }
  if (given.ServiceEndpoints !== undefined) {
    if (typeof given.ServiceEndpoints !== 'object' || given.ServiceEndpoints === null) {
      throw new SessionParametersError(
        'SessionParameters.ServiceEndpoints',
        'must be a map from service name to URL or to a map from region to URL',
      );
    }
    out.serviceEndpoints = given.ServiceEndpoints as ServiceEndpoints;
  }
  if (given.EndpointUrl !== undefined) {
    if (typeof given.EndpointUrl !== 'string') {
      throw new SessionParametersError('SessionParameters.EndpointUrl', 'must be a URL string');
    }
    out.endpointUrl = given.EndpointUrl;
  }
  return out;
}

const METHODS: Record<string, AssumeRoleMethod> = {
  assume_role: 'AssumeRole',
  assume_role_with_web_identity: 'AssumeRoleWithWebIdentity',
  assume_role_with_saml: 'AssumeRoleWithSAML',
  AssumeRole: 'AssumeRole',
  AssumeRoleWithWebIdentity: 'AssumeRoleWithWebIdentity',
  AssumeRoleWithSAML: 'AssumeRoleWithSAML',
};

/** One role of a chain, in one spelling. */
export interface NormalisedRole {
  method: AssumeRoleMethod;
  /** The STS input (without `sts_method` / `method`). */
  input: Record<string, unknown>;
  roleArn: string;
}

/** Reads a role's parameters and method (option, `method` or the original's `sts_method`). */
export function normaliseRole(
  params: AssumeRoleParams,
  method: AssumeRoleMethod | undefined,
  hasTokenCallback: boolean,
): NormalisedRole {
  if (typeof params !== 'object' || params === null) {
    throw new SessionParametersError('AssumeRole', 'must be an object with at least RoleArn');
  }
  const { sts_method: stsMethod, method: paramMethod, ...input } = params;
  const spelled = method ?? paramMethod ?? stsMethod ?? 'AssumeRole';
  const resolved = METHODS[spelled];
  if (resolved === undefined) {
    throw new SessionParametersError(
      'AssumeRole.sts_method',
      `unknown method ${JSON.stringify(spelled)}; use assume_role, assume_role_with_web_identity or assume_role_with_saml`,
    );
  }
  if (typeof input.RoleArn !== 'string' || !input.RoleArn.startsWith('arn:')) {
    throw new SessionParametersError(
      'AssumeRole.RoleArn',
      'must be a role ARN (arn:aws:iam::<account>:role/<name>)',
    );
  }
  if (
    input.DurationSeconds !== undefined &&
    (!Number.isInteger(input.DurationSeconds) || input.DurationSeconds < 900)
  ) {
    throw new SessionParametersError(
      'AssumeRole.DurationSeconds',
      'must be an integer of at least 900 seconds',
    );
  }
  if (input.SerialNumber !== undefined && input.TokenCode === undefined && !hasTokenCallback) {
    throw new SessionParametersError(
      'AssumeRole.SerialNumber',
      'an MFA device needs a code: give the tokenCode callback option (asked at every refresh) or TokenCode',
    );
  }
  if (resolved === 'AssumeRoleWithWebIdentity' && typeof input.WebIdentityToken !== 'string') {
    throw new SessionParametersError(
      'AssumeRole.WebIdentityToken',
      'is required by AssumeRoleWithWebIdentity',
    );
  }
  if (
    resolved === 'AssumeRoleWithSAML' &&
    (typeof input.SAMLAssertion !== 'string' || typeof input.PrincipalArn !== 'string')
  ) {
    throw new SessionParametersError(
      'AssumeRole.SAMLAssertion',
      'AssumeRoleWithSAML needs SAMLAssertion and PrincipalArn',
    );
  }
  return {
    method: resolved,
    input: { RoleSessionName: 'cs-aws', ...input },
    roleArn: input.RoleArn,
  };
}

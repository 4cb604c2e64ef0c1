import { inspect } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';

const describe = (identity: AwsCredentialIdentity) => ({
  accessKeyId: identity.accessKeyId,
  secretAccessKey: '[hidden]',
  ...(identity.sessionToken !== undefined ? { sessionToken: '[hidden]' } : {}),
  ...(identity.expiration !== undefined ? { expiration: identity.expiration } : {}),
});

/**
 * Gives an identity a `toJSON` and a `util.inspect` view without its secrets (non-enumerable, so
 * the SDK's copies are unaffected). Frozen identities are returned as they are.
 */
export function protectIdentity<T extends AwsCredentialIdentity>(identity: T): T {
  if (!Object.isExtensible(identity)) return identity;
  Object.defineProperties(identity, {
    toJSON: { value: () => describe(identity), enumerable: false, configurable: true },
    [inspect.custom]: {
      value: () => `AwsCredentialIdentity ${inspect(describe(identity))}`,
      enumerable: false,
      configurable: true,
    },
  });
  return identity;
}

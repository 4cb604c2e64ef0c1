/**
 * The settings every SDK client reads from the environment and the shared config file when it is
 * built (`AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`, ...), read once per process instead of
 * once per client. The SDK's own loaders and selectors do the reading, so the values are the ones
 * each client would have found; what is saved is the work: every client built without them walks
 * env → config file → default for each setting, and throws and catches two errors with stack
 * traces for each setting that is not set, which is most of them. A fan-out that builds thousands
 * of clients spent a tenth of its time there.
 */

import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import {
  NODE_AUTH_SCHEME_PREFERENCE_OPTIONS,
  NODE_SIGV4A_CONFIG_OPTIONS,
} from '@aws-sdk/core/httpAuthSchemes';
import {
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  loadConfig,
} from '@smithy/core/config';

/** Client configuration entries, each a memoized provider shared by every client. @internal */
export interface SharedConfigProviders {
  readonly useFipsEndpoint: () => Promise<boolean>;
  readonly useDualstackEndpoint: () => Promise<boolean>;
  readonly userAgentAppId: () => Promise<string | undefined>;
  readonly authSchemePreference: () => Promise<string[]>;
  readonly sigv4aSigningRegionSet: () => Promise<string[] | undefined>;
}

let shared: SharedConfigProviders | undefined;

/**
 * The process-wide providers, created on first use (each resolves at its first call, as in a
 * client). Clients given a `profile` of their own do not get them: their files differ.
 *
 * @internal
 */
export const sharedConfigProviders = (): SharedConfigProviders => {
  shared ??= {
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS),
    userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS),
    authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS),
    sigv4aSigningRegionSet: loadConfig(NODE_SIGV4A_CONFIG_OPTIONS),
  } as SharedConfigProviders;
  return shared;
};

/**
 * The embedded mode: the sample organisation served in-process by `@cs/aws-local`.
 */

import { startLocalAws } from '@cs/aws-local';
import type { LocalAws } from '@cs/aws-local';
import { SAMPLE_APP, SAMPLE_CONFIG } from './sampleConfig';
import { SAMPLE_ACCESS_KEY, sampleOrganization } from './sampleOrganization';

/**
 * The server-side throttle of the sample organisation: `ec2:DescribeInstances` answers
 * `RequestLimitExceeded` past this many requests per second per account and region.
 *
 * @public
 */
export const SAMPLE_THROTTLE = {
  service: 'ec2',
  operation: 'DescribeInstances',
  requestsPerSecond: 3,
} as const;

/**
 * A running embedded endpoint with the configuration that points at it.
 *
 * @public
 */
export interface EmbeddedEndpoint {
  /** The local server (its URL, counters, injection controls). */
  readonly aws: LocalAws;
  /** The bundled configuration's text (a template). */
  readonly configText: string;
  /** Its application key. */
  readonly app: string;
  /** The variables to render the template with: the fixture's key and the endpoint's URL. */
  readonly variables: Readonly<Record<string, string>>;
  /** Stops the server (idempotent). */
  close(): Promise<void>;
}

/**
 * Starts `@cs/aws-local` on a free port of 127.0.0.1 with the sample organisation and its
 * server-side throttle.
 *
 * @returns the endpoint, the bundled configuration and the variables it needs
 * @throws `LocalAwsError` of `@cs/aws-local` when the server cannot start
 * @example
 * ```ts
 * const embedded = await startEmbeddedEndpoint();
 * const config = parseConfig(embedded.configText, { env: embedded.variables });
 * await embedded.close();
 * ```
 * @public
 */
export async function startEmbeddedEndpoint(): Promise<EmbeddedEndpoint> {
  const aws = await startLocalAws(sampleOrganization());
  aws.inject.rateLimit({ ...SAMPLE_THROTTLE, burst: SAMPLE_THROTTLE.requestsPerSecond });
  let closing: Promise<void> | undefined;
  return {
    aws,
    configText: SAMPLE_CONFIG,
    app: SAMPLE_APP,
    variables: {
      AWS_ACCESS_KEY_ID: SAMPLE_ACCESS_KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SAMPLE_ACCESS_KEY.secretAccessKey,
      CS_AWS_ENDPOINT_URL: aws.url,
    },
    close: () => (closing ??= aws.close()),
  };
}

import { inspect } from 'node:util';
import { Session } from '../src/Session';
import type { SessionOptions, SessionParameters } from '../src/types';
import { ALICE_KEY, BASE_KEY } from './fixture';

/** Every error and log line the suite sees, and every secret it came across: checked in afterAll. */
export const seen: string[] = [];
export const secrets = new Set<string>([BASE_KEY.secretAccessKey, ALICE_KEY.secretAccessKey]);
export const logger = {
  debug: (m: string, meta?: object) => seen.push(`${m} ${JSON.stringify(meta)}`),
  info: (m: string, meta?: object) => seen.push(`${m} ${JSON.stringify(meta)}`),
  warn: (m: string, meta?: object) => seen.push(`${m} ${JSON.stringify(meta)}`),
  error: (m: string, meta?: object) => seen.push(`${m} ${JSON.stringify(meta)}`),
};
export const record = (error: unknown): unknown => {
  seen.push(String(error), inspect(error, { depth: 6 }), (error as Error).stack ?? '');
  return error;
};
export const remember = async (session: Session) => {
  const identity = await session.credentials()();
  secrets.add(identity.secretAccessKey);
  if (identity.sessionToken) secrets.add(identity.sessionToken);
  seen.push(
    inspect(session),
    JSON.stringify(session),
    String(session),
    inspect(identity),
    JSON.stringify(identity),
  );
};

/** Fails when any secret met so far appears in anything seen so far. */
export function expectNoSecretSeen(): void {
  const text = seen.join('\n');
  for (const secret of secrets) {
    if (text.includes(secret))
      throw new Error('a secret leaked into an error, a log or an inspect output');
  }
}

/**
 * A Session on the fixture's base key in eu-west-1, every call sent to `server`, logging to
 * `logger` (so that its lines are searched for secrets); `extra` and `options` add to or override
 * that.
 */
export const baseSession = (
  server: { readonly url: string },
  extra: Partial<SessionParameters> = {},
  options: SessionOptions = {},
): Session =>
  new Session(
    {
      aws_access_key_id: BASE_KEY.accessKeyId,
      aws_secret_access_key: BASE_KEY.secretAccessKey,
      region_name: 'eu-west-1',
      EndpointUrl: server.url,
      ...extra,
    },
    { logger, ...options },
  );

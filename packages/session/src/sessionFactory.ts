import { canonicalKey } from './canonicalKey';
import { SessionParametersError } from './errors';
import { normaliseRole } from './internal/normalise';
import { Session } from './Session';
import type { AssumeRoleParams, SessionOptions, SessionSpec } from './types';

const sessions = new Map<string, Session>();

/** The roles of a spec, in the order they are assumed: `AssumeRole`, then `AssumeRoles`. */
const rolesOf = (spec: SessionSpec): AssumeRoleParams[] => {
  if (spec.AssumeRoles !== undefined && !Array.isArray(spec.AssumeRoles)) {
    throw new SessionParametersError('AssumeRoles', 'must be a list of AssumeRole parameters');
  }
  return [...(spec.AssumeRole !== undefined ? [spec.AssumeRole] : []), ...(spec.AssumeRoles ?? [])];
};

/**
 * A caching singleton factory of sessions: the same configuration (whatever its key order)
 * returns the same `Session`. Roles from the configuration are assumed deferred: nothing is called
 * until first use, and `await session.ready()` (or any call) surfaces their errors. The cache key
 * is {@link canonicalKey} of the spec: no secret in clear. `options` are not part of the key (the
 * first caller's apply).
 *
 * @param spec - `{ SessionParameters, AssumeRole, AssumeRoles }`, the original's sections.
 * @param options - Session options for a new session.
 * @throws {@link SessionParametersError} / {@link EndpointConfigError} for invalid configuration (nothing is cached then).
 * @example
 * ```ts
 * const session = sessionFactory({ SessionParameters: { region_name: 'eu-west-1' }, AssumeRole: { RoleArn, RoleSessionName: 'x' } });
 * await session.ready();
 * ```
 * @public
 */
export function sessionFactory(spec: SessionSpec = {}, options?: SessionOptions): Session {
  const key = canonicalKey(spec);
  const cached = sessions.get(key);
  if (cached !== undefined) return cached;
  const roles = rolesOf(spec);
  for (const [index, role] of roles.entries()) {
    try {
      normaliseRole(role, undefined, false);
    } catch (error) {
      if (!(error instanceof SessionParametersError)) throw error;
      throw new SessionParametersError(
        `${error.parameter} (role ${index + 1} of the chain)`,
        error.message.slice(error.parameter.length + 2),
      );
    }
  }
  const session = new Session(spec.SessionParameters, options);
  for (const role of roles) void session.assumeRole(role, { deferred: true });
  sessions.set(key, session);
  return session;
}

/**
 * Empties the cache of {@link sessionFactory}, destroying the cached sessions' clients.
 *
 * @example
 * ```ts
 * afterEach(() => clearSessionFactory());
 * ```
 * @public
 */
export function clearSessionFactory(): void {
  const all = [...sessions.values()];
  sessions.clear();
  for (const session of all) session.destroy();
}

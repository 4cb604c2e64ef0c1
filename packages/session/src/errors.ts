/**
 * cs-aws's error brand (CONTRIBUTING.md, "Errors"): each error class lists its own name and its
 * bases' under this key, and the guards read it, so that every copy of a package (ESM and CJS, two
 * versions) recognises the errors of every other copy and of the packages built on it.
 */
const errorNames = Symbol.for('cs-aws.errorNames');

/**
 * Base class of every error @cs/session throws itself (STS and SDK errors are wrapped where a hop
 * or an endpoint must be named).
 *
 * @public
 */
export class SessionError extends Error {
  override readonly name: string = 'SessionError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static readonly [errorNames]: readonly string[] = ['SessionError'];
}

/**
 * The parameters given to a `Session` or to `assumeRole` are invalid: the message names the
 * parameter and says what to give instead. Never carries a secret value.
 *
 * @example
 * ```ts
 * new Session({ aws_access_key_id: 'AKIA...' }); // throws: secret missing
 * ```
 * @public
 */
export class SessionParametersError extends SessionError {
  override readonly name = 'SessionParametersError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'SessionError',
    'SessionParametersError',
  ];
  /**
   * @param parameter - The path of the offending parameter (`SessionParameters.aws_secret_access_key`).
   * @param problem - What is wrong and what to do.
   */
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    super(`${parameter}: ${problem}`);
  }
}

/**
 * An endpoint URL in `ServiceEndpoints`, `EndpointUrl` or `AWS_ENDPOINT_URL*` is not usable: it
 * is not an http(s) URL, or it carries a user name or password. The URL itself is not repeated in
 * the message, only its host, since it may carry a secret.
 *
 * @public
 */
export class EndpointConfigError extends SessionError {
  override readonly name = 'EndpointConfigError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'SessionError',
    'EndpointConfigError',
  ];
  /**
   * @param where - Where the URL was given (`ServiceEndpoints.ec2.us-east-1`, `EndpointUrl`, `AWS_ENDPOINT_URL`).
   * @param problem - What is wrong with it.
   */
  constructor(
    readonly where: string,
    problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/**
 * An STS call that assumes one hop of a role chain failed. `roleArn` and `hop` (1 for the first
 * role above the base identity) say which; `code` is the STS error code (`AccessDenied`, ...) and
 * `cause` the SDK error.
 *
 * @example
 * ```ts
 * try { await session.assumeRole({ RoleArn }); } catch (e) { if (isAssumeRoleError(e)) console.log(e.roleArn, e.code); }
 * ```
 * @public
 */
export class AssumeRoleError extends SessionError {
  override readonly name = 'AssumeRoleError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['SessionError', 'AssumeRoleError'];
  /**
   * @param roleArn - The role of the failed hop.
   * @param hop - Its position in the chain (1 = first role above the base identity).
   * @param method - The STS operation used.
   * @param code - The STS error code, or `'NoCredentials'` when STS answered without credentials.
   * @param detail - The STS error message.
   * @param options - `cause`: the SDK error.
   */
  constructor(
    readonly roleArn: string,
    readonly hop: number,
    readonly method: string,
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${method} of ${roleArn} (hop ${hop} of the role chain) failed: ${code}: ${detail}. ` +
        `Check that the identity of hop ${hop - 1} may assume this role (its trust policy and the caller's permissions).`,
      options,
    );
  }
}

/**
 * Credentials expired and could not be refreshed: every attempt since they entered their refresh
 * window failed. `cause` is the last refresh error.
 *
 * @public
 */
export class CredentialsExpiredError extends SessionError {
  override readonly name = 'CredentialsExpiredError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = [
    'SessionError',
    'CredentialsExpiredError',
  ];
  /**
   * @param label - Which credentials (a role ARN, or `base identity`).
   * @param expiration - When they expired.
   * @param options - `cause`: the last refresh error.
   */
  constructor(
    readonly label: string,
    readonly expiration: Date,
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      `credentials of ${label} expired at ${expiration.toISOString()} and could not be refreshed${cause}`,
      options,
    );
  }
}

/**
 * A client of a session without a region, for a regional service, was called and no region could
 * be found where the SDK looks: the session, `AWS_REGION`, the profile's `region` in the shared
 * config and credentials files. The message lists where it looked and what to set. (Clients of STS
 * and of the other global services get the session's STS region instead, as boto3 gives them the
 * partition's default.)
 *
 * @example
 * ```ts
 * try { await session.client(EC2Client).send(new DescribeRegionsCommand({})); }
 * catch (e) { if (isRegionMissingError(e)) console.error(e.message); }
 * ```
 * @public
 */
export class RegionMissingError extends SessionError {
  override readonly name = 'RegionMissingError';
  /** The names of this class and its bases, read by the guards of every copy of cs-aws. */
  static override readonly [errorNames]: readonly string[] = ['SessionError', 'RegionMissingError'];
  /**
   * @param service - The client's service (`ec2`, ...).
   * @param looked - Where a region was looked for, in order.
   */
  constructor(
    readonly service: string,
    readonly looked: readonly string[],
  ) {
    super(
      `a ${service} client needs a region and none was found (looked at: ${looked.join('; ')}); ` +
        'give the session a region (region_name), pass { region } to client(), set AWS_REGION, ' +
        'or set region in the profile of the shared config file',
    );
  }
}

/**
 * True for a {@link SessionError} or a subclass; checks `name` too, so two copies of the package
 * agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await session.ready(); } catch (e) { if (isSessionError(e)) console.error(e.message); else throw e; }
 * ```
 * @public
 */
export const isSessionError = (e: unknown): e is SessionError =>
  isErrorOf(e, [
    'SessionError',
    'SessionParametersError',
    'EndpointConfigError',
    'AssumeRoleError',
    'CredentialsExpiredError',
    'RegionMissingError',
  ]);

/**
 * True for a {@link SessionParametersError}. Checks `name` too, so that two copies of the package agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { new Session(params); } catch (e) { if (isSessionParametersError(e)) console.error(e.parameter, e.message); }
 * ```
 * @public
 */
export const isSessionParametersError = (e: unknown): e is SessionParametersError =>
  isErrorOf(e, ['SessionParametersError']);

/**
 * True for an {@link EndpointConfigError}. Checks `name` too, so that two copies of the package agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { session.clientConfig('sts'); } catch (e) { if (isEndpointConfigError(e)) console.error(`fix ${e.where}`); }
 * ```
 * @public
 */
export const isEndpointConfigError = (e: unknown): e is EndpointConfigError =>
  isErrorOf(e, ['EndpointConfigError']);

/**
 * True for an {@link AssumeRoleError}. Checks `name` too, so that two copies of the package agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await session.assumeRole({ RoleArn }); } catch (e) { if (isAssumeRoleError(e)) console.error(e.roleArn, e.hop, e.code); }
 * ```
 * @public
 */
export const isAssumeRoleError = (e: unknown): e is AssumeRoleError =>
  isErrorOf(e, ['AssumeRoleError']);

/**
 * True for a {@link CredentialsExpiredError}. Checks `name` too, so that two copies of the package agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await session.ready(); } catch (e) { if (isCredentialsExpiredError(e)) console.error(`${e.label} expired at ${e.expiration.toISOString()}`); }
 * ```
 * @public
 */
export const isCredentialsExpiredError = (e: unknown): e is CredentialsExpiredError =>
  isErrorOf(e, ['CredentialsExpiredError']);

/**
 * True for a {@link RegionMissingError}. Checks `name` too, so that two copies of the package agree.
 *
 * @param e - any thrown value
 * @example
 * ```ts
 * try { await client.send(command); } catch (e) { if (isRegionMissingError(e)) console.error(e.looked); }
 * ```
 * @public
 */
export const isRegionMissingError = (e: unknown): e is RegionMissingError =>
  isErrorOf(e, ['RegionMissingError']);

/** Whether `e` is an Error of one of the classes `names`, by its brand or else by its `name`. */
function isErrorOf(e: unknown, names: readonly string[]): boolean {
  if (!(e instanceof Error)) return false;
  const brand = (e.constructor as { [errorNames]?: readonly string[] })[errorNames] ?? [];
  return names.some((name) => name === e.name || brand.includes(name));
}

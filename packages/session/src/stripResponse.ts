/**
 * A copy of an AWS SDK error without its raw HTTP response (`$response`): that holds the request's
 * headers, session token included, which must never reach an error's inspect output. The copy
 * keeps the prototype (so `instanceof` holds), name, message, stack, `$metadata`, `$fault` and the
 * service's own fields. Every package that wraps an SDK error as a `cause` passes it through here,
 * so that there is one rule for what is kept.
 *
 * @param error - any caught value
 * @returns the same value when it has no `$response`, else a copy without it
 * @example
 * ```ts
 * try {
 *   await iam.send(new ListAccountAliasesCommand({}));
 * } catch (error) {
 *   throw new Error('listing the aliases failed', { cause: stripResponse(error) });
 * }
 * ```
 * @public
 */
export function stripResponse(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || !('$response' in error)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Record<string, unknown>;
  for (const key of Reflect.ownKeys(error)) {
    if (key === '$response') continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor !== undefined) Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

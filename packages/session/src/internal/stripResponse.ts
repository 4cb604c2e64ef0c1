/**
 * A copy of an SDK error of one of the session's own calls without its raw HTTP response: that
 * holds the request's headers, session token included, which must never reach an error's
 * inspect output. The copy keeps the prototype (so `instanceof` holds), name, message, stack,
 * `$metadata`, `$fault` and the service's own fields.
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

/**
 * A copy of an SDK error without its raw HTTP response, which holds the request's headers
 * (session token included): such a response must never reach an error's inspect output.
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

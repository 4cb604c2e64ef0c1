/**
 * A sanitized copy of an error that may come from the AWS SDK, safe to keep as a `cause`. An SDK
 * error holds its raw HTTP response (`$response`), and through it the request with its headers
 * (`x-amz-security-token`, the signature), hidden from a plain `console.log` but shown by
 * `util.inspect(error, { showHidden: true, depth: null })`. The copy keeps only what says what went
 * wrong: the prototype (so `instanceof` holds), every own property whose value is a string, number,
 * boolean or bigint (`name`, `message`, `stack`, `code`, `Code`, `errno`, ...) except those named
 * `$...`, plus `$fault`, `$retryable`, the `$metadata` fields `httpStatusCode`, `requestId`,
 * `extendedRequestId`, `cfId`, `attempts` and `totalRetryDelay`, and sanitized copies of `cause`
 * and `errors` (an `AggregateError`'s). Everything else (`$response`, `$request`, headers,
 * credentials, the service's structured fields) is left out. Every package that keeps an SDK error
 * as a `cause` passes it through here, so that there is one rule for what is kept.
 *
 * An error that holds nothing to leave out (this library's own errors, whose causes were sanitized
 * when they were built) is returned as it is; the caller's error is never changed.
 *
 * @param error - any caught value
 * @returns `error` itself when it holds nothing to leave out, else a sanitized copy
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
  return sanitize(error, 0, new Map());
}

/** How deep a chain of causes is followed; past it a cause is dropped. */
const MAX_DEPTH = 8;
/** The `$metadata` fields of an SDK error that are kept. */
const METADATA_KEYS = [
  'httpStatusCode',
  'requestId',
  'extendedRequestId',
  'cfId',
  'attempts',
  'totalRetryDelay',
] as const;

const isPrimitive = (value: unknown): boolean =>
  typeof value === 'string' ||
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  typeof value === 'bigint' ||
  value === undefined ||
  value === null;

/** Whether `value` is a plain object of data properties named in `names`, of primitive values. */
const onlyPrimitives = (value: object, names: readonly string[]): boolean =>
  Object.getPrototypeOf(value) === Object.prototype &&
  Reflect.ownKeys(value).every((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return (
      typeof key === 'string' &&
      names.includes(key) &&
      descriptor !== undefined &&
      'value' in descriptor &&
      isPrimitive(descriptor.value)
    );
  });

type Kept = { kind: 'value'; value: unknown } | { kind: 'drop' };

/** The sanitized value of an own property, or `drop`. */
function keep(key: string | symbol, value: unknown, depth: number, seen: Seen): Kept {
  if (key === 'cause') {
    return depth + 1 >= MAX_DEPTH
      ? { kind: 'drop' }
      : { kind: 'value', value: sanitize(value, depth + 1, seen) };
  }
  if (key === 'errors' && Array.isArray(value)) {
    if (depth + 1 >= MAX_DEPTH) return { kind: 'drop' };
    const each = value.map((item) => sanitize(item, depth + 1, seen)).filter((v) => v !== PENDING);
    const same = each.length === value.length && each.every((v, i) => Object.is(v, value[i]));
    return { kind: 'value', value: same ? value : each };
  }
  if (key === '$metadata') {
    if (typeof value !== 'object' || value === null) return { kind: 'drop' };
    if (onlyPrimitives(value, METADATA_KEYS)) return { kind: 'value', value };
    const metadata: Record<string, unknown> = {};
    for (const name of METADATA_KEYS) {
      const field = Object.getOwnPropertyDescriptor(value, name);
      if (field !== undefined && 'value' in field && isPrimitive(field.value)) {
        metadata[name] = field.value;
      }
    }
    return { kind: 'value', value: metadata };
  }
  if (key === '$retryable') {
    if (typeof value !== 'object' || value === null) return { kind: 'drop' };
    if (onlyPrimitives(value, ['throttling'])) return { kind: 'value', value };
    const throttling = (value as { throttling?: unknown }).throttling;
    return {
      kind: 'value',
      value: typeof throttling === 'boolean' ? { throttling } : {},
    };
  }
  if (typeof key === 'string' && key.startsWith('$') && key !== '$fault') return { kind: 'drop' };
  return isPrimitive(value) ? { kind: 'value', value } : { kind: 'drop' };
}

/** Whether a property is an accessor built into the engine (V8's `stack`), not one of JavaScript. */
const isNativeAccessor = (descriptor: PropertyDescriptor): boolean => {
  // Only its source text is read (Function.prototype.toString), never a call of it.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const getter = descriptor.get;
  return (
    typeof getter === 'function' &&
    /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(getter))
  );
};

/** Marks an error whose copy is being built: a cause that cycles back to it is left out. */
const PENDING = Symbol('pending');
type Seen = Map<object, unknown>;

function sanitize(error: unknown, depth: number, seen: Seen): unknown {
  if (typeof error !== 'object' || error === null) return error;
  if (seen.has(error)) return seen.get(error);
  seen.set(error, PENDING);
  const kept: [string | symbol, PropertyDescriptor][] = [];
  let changed = false;
  for (const key of Reflect.ownKeys(error)) {
    let descriptor = Object.getOwnPropertyDescriptor(error, key);
    // Newer V8 (Node 22 and 24) gives every error an own `stack` accessor of its own: read it
    // (it computes the trace, nothing else), and keep its text on a copy.
    if (key === 'stack' && descriptor !== undefined && isNativeAccessor(descriptor)) {
      const text: unknown = Reflect.get(error, key);
      descriptor = { value: text, writable: true, enumerable: false, configurable: true };
      if (typeof text !== 'string') {
        changed = true;
        continue;
      }
      kept.push([key, descriptor]);
      continue;
    }
    // Any other accessor is never called (it may throw, or compute from hidden state): left out.
    if (descriptor === undefined || !('value' in descriptor)) {
      changed = true;
      continue;
    }
    const result = keep(key, descriptor.value, depth, seen);
    if (result.kind === 'drop' || result.value === PENDING) {
      changed = true;
      continue;
    }
    if (!Object.is(result.value, descriptor.value)) changed = true;
    kept.push([key, { ...descriptor, value: result.value }]);
  }
  if (!changed) {
    seen.set(error, error);
    return error;
  }
  const copy = Object.create(Object.getPrototypeOf(error) as object | null) as object;
  seen.set(error, copy);
  for (const [key, descriptor] of kept) Object.defineProperty(copy, key, descriptor);
  return copy;
}

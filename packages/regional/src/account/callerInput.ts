/**
 * The library never changes what a caller passed it (SPEC 10): the SDK's paginators write the next
 * token into the input they are given, and a command may be changed by a middleware. Every call
 * gets its own copy of the caller's input.
 */

const isPlain = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
};

/**
 * A copy of `input` for one call: plain objects and arrays are copied at every level (cycles kept
 * as cycles), every other value (a `Uint8Array`, a `Date`, a stream) is passed as it is.
 *
 * @internal
 */
export const copyInput = <T>(input: T, seen = new Map<object, unknown>()): T => {
  if (typeof input !== 'object' || input === null) return input;
  const known = seen.get(input);
  if (known !== undefined) return known as T;
  if (Array.isArray(input)) {
    const copy: unknown[] = [];
    seen.set(input, copy);
    for (const item of input as unknown[]) copy.push(copyInput(item, seen));
    return copy as T;
  }
  if (!isPlain(input)) return input;
  const copy: Record<string, unknown> = {};
  seen.set(input, copy);
  for (const [key, value] of Object.entries(input)) copy[key] = copyInput(value, seen);
  return copy as T;
};

/** Ends a pagination whose next request would repeat a token already sent. @internal */
export class RepeatedTokenStop extends Error {
  override readonly name = 'RepeatedTokenStop';
  constructor() {
    super('the paginator was about to send a page token it had sent before');
  }
}

const tokenKey = (token: unknown): string => {
  if (typeof token === 'string') return `s:${token}`;
  try {
    return `j:${JSON.stringify(token)}`;
  } catch {
    return `o:${String(token)}`;
  }
};

/**
 * A copy of the caller's input for one pagination, that watches the tokens the SDK's paginator
 * writes into it. Every paginator of the SDK writes its input token first in each round, before
 * the page size, then sends the request: the first property ever written is the token. A token
 * value already sent (the same as the last, which the SDK's `stopOnSameToken` catches, or any
 * earlier one, a loop) throws {@link RepeatedTokenStop} from the write, so that no request repeats
 * a position: the paginator ends with it, and `paginate` ends quietly.
 *
 * @internal
 */
export const paginationInput = (input: object): object => {
  const own = copyInput(input) as Record<string | symbol, unknown>;
  let key: string | symbol | undefined;
  const sent = new Set<string>();
  return new Proxy(own, {
    set(target, property, value: unknown) {
      key ??= property;
      if (property === key && value !== undefined && value !== null && value !== '') {
        const id = tokenKey(value);
        if (sent.has(id)) throw new RepeatedTokenStop();
        sent.add(id);
      }
      target[property] = value;
      return true;
    },
  });
};

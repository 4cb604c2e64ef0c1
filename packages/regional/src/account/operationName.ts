/**
 * Operation names: the SDK's `GetCallerIdentity` and the original's `get_caller_identity` both name
 * one operation. Matching folds case and drops underscores, so that names with acronyms
 * (`describe_db_instances` → `DescribeDBInstances`) resolve against the names the SDK really has,
 * instead of a guessed PascalCase spelling.
 */

/**
 * The comparison key of an operation or service name: lower case, no `_`, `-` or spaces.
 *
 * @internal
 */
export const operationKey = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

/**
 * `get_caller_identity` → `GetCallerIdentity`; a name without `_` keeps its spelling except for the
 * first letter (`getCallerIdentity` → `GetCallerIdentity`). Used only for messages and keys when
 * no list of real names is at hand.
 *
 * @internal
 */
export const toPascalCase = (name: string): string =>
  name
    .split('_')
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * Finds the real operation name among `known` for `name` in either spelling, or `undefined`.
 *
 * @internal
 */
export const resolveOperationName = (
  name: string,
  known: readonly string[],
): string | undefined => {
  if (known.includes(name)) return name;
  const key = operationKey(name);
  return known.find((candidate) => operationKey(candidate) === key);
};

/** Levenshtein distance, two rows. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

/**
 * Up to `limit` names of `known` closest to `name` (by edit distance of their keys, names that
 * contain the key first), for "did you mean" messages.
 *
 * @internal
 */
export const closeMatches = (name: string, known: readonly string[], limit = 5): string[] => {
  const key = operationKey(name);
  const scored = known.map((candidate) => {
    const candidateKey = operationKey(candidate);
    const contains = key.length > 2 && (candidateKey.includes(key) || key.includes(candidateKey));
    return { candidate, score: distance(key, candidateKey) - (contains ? 100 : 0) };
  });
  const threshold = Math.max(3, Math.floor(key.length / 2));
  return scored
    .filter(({ score }) => score <= threshold)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
};

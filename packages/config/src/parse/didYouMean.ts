function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j] as number;
      previous[j] = Math.min(
        above + 1,
        (previous[j - 1] as number) + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}

const normal = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');

/**
 * The known name closest to `name`, when it is close enough to be a slip (the same letters but for
 * case and underscores, the start of it, or at most `maxDistance` edits away), else undefined.
 */
export function didYouMean(
  name: string,
  known: Iterable<string>,
  maxDistance = Math.max(1, Math.min(3, Math.floor(name.length / 3))),
  allowPrefix = true,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate === name) continue;
    const d =
      normal(candidate) === normal(name) ||
      (allowPrefix && name.length >= 4 && normal(candidate).startsWith(normal(name)))
        ? 0
        : // Edits are at least the difference of lengths: a long key is not compared at all (the
          // distance costs the product of the lengths, and keys are as long as the file allows).
          Math.abs(name.length - candidate.length) > maxDistance
          ? Infinity
          : distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

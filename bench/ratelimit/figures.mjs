// Figures shared by the rate-limit benchmarks (bench/ratelimit, bench/shared): one definition, so
// that their tables measure the same thing.

/**
 * The largest number of times in any half-open window [s, s + length): the figure a limit of
 * `maxCount` per `length` must keep at or under `maxCount`.
 *
 * @param {readonly number[]} times - epoch milliseconds, in any order
 * @param {number} length - the window, in milliseconds
 * @returns {number}
 */
export function largestWindowCount(times, length) {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= length) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

// The largest count of times in one window: the figure that the tests of @cs/ratelimit and
// @cs/ratelimit-redis check a limit by, and that the rate-limit benchmarks (bench/ratelimit,
// bench/shared, bench/fanout-bullmq's throttling run) report. One definition, so that they all measure the same thing. Plain JavaScript,
// so that the benchmarks run it on Node.js as it is; its types are in windows.d.mts.

/**
 * The largest number of times in any half-open window [s, s + length) (the same count as in any
 * window (t - length, t], as the guarantee reads): the figure a limit of `maxCount` per `length`
 * must keep at or under `maxCount`.
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

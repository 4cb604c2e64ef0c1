/**
 * The largest number of times in any half-open window `[s, s + length)`: the figure a limit of
 * `maxCount` per `length` must keep at or under `maxCount`.
 *
 * @param times - epoch milliseconds, in any order
 * @param length - the window, in milliseconds
 */
export declare function largestWindowCount(times: readonly number[], length: number): number;

/**
 * The longest delay `setTimeout` honours: 2^31-1 ms (about 24.8 days). Node turns a longer one into
 * 1 ms (with a `TimeoutOverflowWarning`), so every timer of the package waits in steps of at most
 * this long.
 *
 * @internal
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * @cs/ratelimit: A strict sliding-window rate limiter with FIFO waiters, abort signals and pluggable stores.
 *
 * @packageDocumentation
 */

export const __placeholder = true;

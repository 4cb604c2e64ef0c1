/**
 * @cs/account: An AWS account on top of a @cs/session Session: id, aliases, caching factory.
 *
 * @packageDocumentation
 */

export const __placeholder = true;

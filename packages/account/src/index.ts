/**
 * @cs/account: an AWS account on top of a `@cs/session` Session: its id, its aliases and a
 * caching factory.
 *
 * @packageDocumentation
 */

export { Account } from './Account';
export { accountFactory, clearAccountFactory } from './accountFactory';
export { AccountError, isAccountError } from './errors';

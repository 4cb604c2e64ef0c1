/**
 * @cs/regional: Rate-limited regional AWS clients, region containers and multi-account fan-out.
 *
 * @packageDocumentation
 */

export const __placeholder = true;

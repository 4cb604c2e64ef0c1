/**
 * @cs/config: YAML configuration for cs-aws: Jinja-compatible templating, JSON-schema validation and builders.
 *
 * @packageDocumentation
 */

export const __placeholder = true;

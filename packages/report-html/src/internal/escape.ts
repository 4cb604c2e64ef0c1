/**
 * Escaping for HTML text and attribute values.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes a string for HTML text or a quoted attribute value: `& < > " '` become entities, so that
 * nothing in it can open a tag, close an attribute or start an entity.
 *
 * @internal
 */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/**
 * Escapes a string for HTML text (never an attribute value): `& < >` become entities.
 *
 * @internal
 */
export const escapeText = (text: string): string => text.replace(/[&<>]/g, (c) => ENTITIES[c]!);

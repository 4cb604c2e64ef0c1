/**
 * Shell-style globs for region names: `*` matches any run of characters, `?` exactly one.
 */

/** Whether `pattern` holds a glob character (`*` or `?`). @internal */
export const isGlob = (pattern: string): boolean => /[*?]/.test(pattern);

/** The anchored regular expression of a glob. @internal */
export const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('')}$`,
  );

/**
 * Plain-text tables that fit the terminal.
 */

/** A column of a table. @internal */
export interface Column {
  readonly header: string;
  /** Right-aligned (numbers). @defaultValue false */
  readonly align?: 'left' | 'right';
  /** May be shortened (with `…`) when the table is wider than the terminal. @defaultValue true */
  readonly shrink?: boolean;
}

const MIN_WIDTH = 6;

const fit = (text: string, width: number): string =>
  text.length <= width ? text : width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;

/**
 * Lays out rows under headers, two spaces between columns, no wider than `width` when it can be
 * helped: the widest shrinkable columns are shortened first, down to a few characters.
 *
 * @param columns - the columns
 * @param rows - the cells, as text
 * @param width - the terminal's width
 * @returns the lines of the table (header, rule, rows)
 * @internal
 */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width: number,
): string[] {
  const clean = rows.map((row) => columns.map((_, i) => (row[i] ?? '').replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...clean.map((row) => (row[i] ?? '').length)),
  );
  const gap = 2 * (columns.length - 1);
  let excess = widths.reduce((a, b) => a + b, 0) + gap - width;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < columns.length; i += 1) {
      const w = widths[i] ?? 0;
      if (columns[i]?.shrink === false || w <= MIN_WIDTH) continue;
      if (widest === -1 || w > (widths[widest] ?? 0)) widest = i;
    }
    if (widest === -1) break;
    const others = widths.filter((_, i) => i !== widest && columns[i]?.shrink !== false);
    const next = Math.max(MIN_WIDTH, ...others);
    const cut = Math.min(excess, Math.max(1, (widths[widest] ?? 0) - next));
    widths[widest] = (widths[widest] ?? 0) - cut;
    excess -= cut;
  }
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        const text = fit(cell, w);
        return columns[i]?.align === 'right' ? text.padStart(w) : text.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...clean.map(line),
  ];
}

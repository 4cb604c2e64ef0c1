/** Where a text stops being valid: its 1-based line and column (in characters) and byte offset. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** The offset of the first byte that does not belong to valid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f; // nothing past U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      const low = k === 1 ? min : 0x80;
      const high = k === 1 ? max : 0xbf;
      if (c === undefined || c < low || c > high) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes UTF-8 strictly (a leading BOM dropped): the text, or the position of the first byte
 * that is not UTF-8; never a U+FFFD in place of bad bytes.
 */
export function decodeUtf8(
  bytes: Uint8Array,
): { readonly ok: true; readonly text: string } | ({ readonly ok: false } & TextPosition) {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const at = offset < 0 ? bytes.length : offset;
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < at; i += 1) {
      if (bytes[i] === 10) {
        line += 1;
        lineStart = i + 1;
      }
    }
    const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, at));
    return { ok: false, line, column: [...before.replace(/^\uFEFF/, '')].length + 1, offset: at };
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The position of the first lone UTF-16 surrogate of a text (no UTF-8 can say it), if any. */
export function findLoneSurrogate(text: string): Omit<TextPosition, 'offset'> | undefined {
  const match = LONE_SURROGATE.exec(text);
  if (match === null) return undefined;
  const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1)) {
    line += 1;
  }
  return { line, column: [...text.slice(lineStart, match.index)].length + 1 };
}

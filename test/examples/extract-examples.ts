/**
 * Finds every fenced code block of a Markdown file, with the `<!-- example: ... -->` marker that
 * may stand on the line before it (blank lines between are allowed).
 *
 * Markers (directives separated by `;`; a skip takes the whole marker):
 * - `skip — reason` (or `skip: reason`, `skip - reason`): not runnable; the reason is required.
 * - `file NAME`: the block is also written as NAME into the project every example of the same
 *   Markdown file runs in (a configuration the next example loads, say).
 * - `fixture`: a YAML block that is an `@cs/aws-local` fixture (started and closed to check it).
 * - `prints TEXT`: the example's standard output must contain TEXT.
 */
export interface Example {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The fence's language (`ts`, `yaml`, `sh`, ...), lower case; `''` when none. */
  readonly lang: string;
  /** The block's text, without the fences. */
  readonly code: string;
  /** `skip` directive: why the block is not run; `undefined` when it is to be run. */
  readonly skip?: string;
  /** `file` directive. */
  readonly fileName?: string;
  /** `fixture` directive. */
  readonly fixture: boolean;
  /** `exits N` directive: the exit status every shell command of the block must end with. @defaultValue 0 */
  readonly exits?: number;
  /** `prints` directives. */
  readonly prints: readonly string[];
  /** A marker that could not be read (reported as a failure of the block). */
  readonly markerError?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/;
const MARKER = /^\s*<!--\s*example:\s*([\s\S]*?)\s*-->\s*$/;

/** Every fenced block of `text` (the Markdown of `file`). */
export function extractExamples(file: string, text: string): Example[] {
  const lines = text.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1] ?? '';
    const fence = open[2] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (
        l.trim().startsWith(fence[0]!.repeat(fence.length)) &&
        l.trim().replace(/[`~]/g, '') === ''
      )
        break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l);
    }
    let k = i - 1;
    while (k >= 0 && (lines[k] ?? '').trim() === '') k--;
    const marker = k >= 0 ? MARKER.exec(lines[k] ?? '') : null;
    examples.push({
      file,
      line: i + 1,
      lang: (open[3] ?? '').toLowerCase(),
      code: body.join('\n') + '\n',
      ...readMarker(marker?.[1]),
    });
    i = j;
  }
  return examples;
}

function readMarker(
  text: string | undefined,
): Pick<Example, 'skip' | 'fileName' | 'fixture' | 'prints' | 'markerError' | 'exits'> {
  const prints: string[] = [];
  let exits: number | undefined;
  let skip: string | undefined;
  let fileName: string | undefined;
  let fixture = false;
  let markerError: string | undefined;
  // A skip's reason is the rest of the marker (it may hold any punctuation); others split on ';'.
  const body = (text ?? '').trim();
  for (const raw of /^skip\b/.test(body) ? [body] : body.split(';')) {
    const d = raw.trim();
    if (d === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^skip\s*(?:—|–|-|:)\s*(\S[\s\S]*)$/.exec(d))) skip = m[1];
    else if (/^skip\b/.test(d)) markerError = `"${d}": a skip needs a reason (skip — why)`;
    else if ((m = /^file\s+(\S+)$/.exec(d))) fileName = m[1];
    else if (d === 'fixture') fixture = true;
    else if ((m = /^exits\s+(\d{1,3})$/.exec(d))) exits = Number(m[1]);
    else if ((m = /^prints\s+(\S[\s\S]*)$/.exec(d))) prints.push(m[1]!);
    else
      markerError = `unknown directive "${d}" (expected skip — reason, file NAME, fixture, exits N, prints TEXT)`;
  }
  return {
    skip,
    fileName,
    fixture,
    prints,
    markerError,
    ...(exits === undefined ? {} : { exits }),
  };
}

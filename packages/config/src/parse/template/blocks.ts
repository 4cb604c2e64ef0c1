import type { Expression } from './expressions';
import {
  ExpressionParser,
  KEYWORDS,
  LITERAL_NAMES,
  MAX_TEMPLATE_NESTING,
  isLiteral,
  refusal,
} from './expressions';
import type { LexedTag, Token } from './lexTag';
import { TemplateSyntaxError, lexTag } from './lexTag';
import type { TemplateProblem } from './renderTemplate';
// Parsing: segments of the template into a tree of blocks.

export type Block =
  | { readonly type: 'text'; text: string; line: number }
  | {
      readonly type: 'output';
      readonly expression: Expression;
      readonly name: string;
      readonly line: number;
    }
  | {
      readonly type: 'if';
      readonly branches: {
        readonly condition: Expression;
        readonly body: Block[];
        readonly line: number;
      }[];
      otherwise?: Block[];
    }
  | {
      readonly type: 'set';
      readonly name: string;
      readonly expression: Expression;
      readonly line: number;
    };

interface Parsed {
  readonly blocks: Block[];
  readonly problems: TemplateProblem[];
}

/** The name an output stands under in messages: `VAR`, or the expression's text (200 at most). */
function outputName(tokens: readonly Token[]): string {
  let name = '';
  for (const token of tokens) {
    const text = token.kind === 'op' && token.text === '|' ? '|' : token.text;
    name += name === '' ? text : ` ${text}`;
    if (name.length > 200) break;
  }
  return name.slice(0, 200);
}

const OPEN_PATTERN = /\{[{%#]/g;

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Reads the template into blocks; every refused construct is a problem with its line. */
export function parseTemplate(source: string): Parsed {
  const problems: TemplateProblem[] = [];
  const root: Block[] = [];
  // The open `{% if %}` blocks, innermost last, with the list new blocks go to.
  const stack: { block: Extract<Block, { type: 'if' }>; line: number; hasElse: boolean }[] = [];
  let target: Block[] = root;
  let position = 0;
  let line = 1;
  let trimNext = false;

  const addText = (text: string, textLine: number): void => {
    let t = text;
    let l = textLine;
    if (trimNext) {
      const stripped = t.trimStart();
      l += countLines(t, 0, t.length - stripped.length);
      t = stripped;
      trimNext = false;
    }
    if (t !== '') target.push({ type: 'text', text: t, line: l });
  };
  const trimPrevious = (): void => {
    const last = target.at(-1);
    // trimEnd, not a regular expression: /\s+$/ takes quadratic time on a long run of spaces.
    if (last?.type === 'text') last.text = last.text.trimEnd();
  };

  while (position < source.length) {
    OPEN_PATTERN.lastIndex = position;
    const open = OPEN_PATTERN.exec(source);
    if (open === null) {
      addText(source.slice(position), line);
      break;
    }
    const at = open.index;
    addText(source.slice(position, at), line);
    line += countLines(source, position, at);
    const kind = source[at + 1];
    let bodyStart = at + 2;
    if (source[bodyStart] === '-') {
      trimPrevious();
      bodyStart += 1;
    } else if (source[bodyStart] === '+') bodyStart += 1;
    const tagLine = line;

    if (kind === '#') {
      const end = source.indexOf('#}', bodyStart);
      if (end < 0) {
        problems.push({ line: tagLine, message: 'template: a {# comment is not closed' });
        return { blocks: root, problems };
      }
      trimNext = source[end - 1] === '-';
      line += countLines(source, at, end + 2);
      position = end + 2;
      continue;
    }

    let lexed: LexedTag;
    try {
      lexed = lexTag(source, bodyStart, line, kind === '{' ? '}}' : '%}');
    } catch (error) {
      const e = error as TemplateSyntaxError;
      problems.push({ line: e.line, message: `template: ${e.message}` });
      // Go on after the closing delimiter, if there is one, to report the other problems too.
      const close = source.indexOf(kind === '{' ? '}}' : '%}', bodyStart);
      if (close < 0) return { blocks: root, problems };
      line += countLines(source, at, close + 2);
      position = close + 2;
      continue;
    }
    line = lexed.endLine;
    position = lexed.end;
    trimNext = lexed.trimAfter;

    try {
      const parser = new ExpressionParser(lexed.tokens, tagLine);
      if (kind === '{') {
        const expression = parser.parseExpression();
        parser.expectEnd('after the expression');
        target.push({ type: 'output', expression, name: outputName(lexed.tokens), line: tagLine });
        continue;
      }
      const tag = parser.takeName();
      if (tag === undefined) throw new TemplateSyntaxError('expected a tag name after {%', tagLine);
      if (tag === 'if') {
        if (stack.length >= MAX_TEMPLATE_NESTING) {
          throw new TemplateSyntaxError(
            `{% if %} blocks nest more than ${MAX_TEMPLATE_NESTING} levels deep`,
            tagLine,
          );
        }
        const condition = parser.parseExpression();
        parser.expectEnd('after the condition');
        const block: Extract<Block, { type: 'if' }> = {
          type: 'if',
          branches: [{ condition, body: [], line: tagLine }],
        };
        target.push(block);
        stack.push({ block, line: tagLine, hasElse: false });
        target = (block.branches[0] as { body: Block[] }).body;
      } else if (tag === 'elif' || tag === 'else' || tag === 'endif') {
        const open = stack.at(-1);
        if (open === undefined) {
          throw new TemplateSyntaxError(`{% ${tag} %} without an {% if %}`, tagLine);
        }
        if (tag === 'endif') {
          parser.expectEnd('after endif');
          stack.pop();
          const parent = stack.at(-1);
          target =
            parent === undefined
              ? root
              : (parent.block.otherwise ??
                (parent.block.branches.at(-1) as { body: Block[] }).body);
        } else if (open.hasElse) {
          throw new TemplateSyntaxError(`{% ${tag} %} after {% else %}`, tagLine);
        } else if (tag === 'elif') {
          const condition = parser.parseExpression();
          parser.expectEnd('after the condition');
          const body: Block[] = [];
          open.block.branches.push({ condition, body, line: tagLine });
          target = body;
        } else {
          parser.expectEnd('after else');
          open.hasElse = true;
          open.block.otherwise = [];
          target = open.block.otherwise;
        }
      } else if (tag === 'set') {
        const name = parser.takeName();
        if (name === undefined || KEYWORDS.has(name) || LITERAL_NAMES.has(name)) {
          throw new TemplateSyntaxError('{% set %} needs a variable name', tagLine);
        }
        if (!parser.takeOp('=')) {
          throw new TemplateSyntaxError(
            refusal('{% set %} without "= value" (a block set) or of several names'),
            tagLine,
          );
        }
        const expression = parser.parseExpression();
        parser.expectEnd('after the value');
        if (!isLiteral(expression)) {
          throw new TemplateSyntaxError(
            refusal('{% set %} of anything but a literal (text, number, true, false, none, list)'),
            tagLine,
          );
        }
        target.push({ type: 'set', name, expression, line: tagLine });
      } else if (tag === 'raw') {
        parser.expectEnd('after raw');
        const end = /\{%[-+]?\s*endraw\s*-?%\}/g;
        end.lastIndex = position;
        const match = end.exec(source);
        if (match === null)
          throw new TemplateSyntaxError('{% raw %} without {% endraw %}', tagLine);
        addText(source.slice(position, match.index), line);
        line += countLines(source, position, match.index + match[0].length);
        position = match.index + match[0].length;
        trimNext = match[0].endsWith('-%}');
      } else {
        throw new TemplateSyntaxError(refusal(`the tag {% ${tag} %}`), tagLine);
      }
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      problems.push({ line: error.line, message: `template: ${error.message}` });
    }
  }
  for (const open of stack) {
    problems.push({ line: open.line, message: 'template: {% if %} without {% endif %}' });
  }
  return { blocks: root, problems };
}

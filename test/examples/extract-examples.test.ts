import { describe, expect, it } from 'vitest';
import { extractExamples } from './extract-examples';

const md = [
  '# Title',
  '',
  '<!-- example: skip — a diagram; not code -->',
  '```',
  'a ──> b',
  '```',
  '',
  '<!-- example: file cs-aws.yaml; prints 3 succeeded -->',
  '',
  '```yaml',
  'A: 1',
  '```',
  '',
  '```ts',
  'console.log(1);',
  '```',
  '',
  '<!-- example: skip -->',
  '```sh',
  'rm -rf /',
  '```',
  '',
  '<!-- example: run it please -->',
  '~~~js',
  'x',
  '~~~',
].join('\n');

describe('extractExamples', () => {
  const examples = extractExamples('x.md', md);

  it('finds every fenced block with its line, language and text', () => {
    expect(examples.map((e) => [e.line, e.lang, e.code])).toEqual([
      [4, '', 'a ──> b\n'],
      [10, 'yaml', 'A: 1\n'],
      [14, 'ts', 'console.log(1);\n'],
      [19, 'sh', 'rm -rf /\n'],
      [24, 'js', 'x\n'],
    ]);
  });

  it('reads the marker on the line before a block (blank lines allowed), a skip taking the whole marker', () => {
    expect(examples[0]?.skip).toBe('a diagram; not code');
    expect(examples[1]).toMatchObject({ fileName: 'cs-aws.yaml', prints: ['3 succeeded'] });
    expect(examples[2]).toMatchObject({ skip: undefined, fileName: undefined, prints: [] });
  });

  it('refuses a skip without a reason and an unknown directive, so that they fail as examples', () => {
    expect(examples[3]?.markerError).toMatch(/a skip needs a reason/);
    expect(examples[3]?.skip).toBeUndefined();
    expect(examples[4]?.markerError).toMatch(/unknown directive "run it please"/);
  });
});

describe('the exit status an example expects', () => {
  it('is 0 unless the marker says `exits N`', () => {
    const [plain, failing] = extractExamples(
      'y.md',
      [
        '```sh',
        'pnpm cs-aws whoami',
        '```',
        '<!-- example: exits 1 -->',
        '```sh',
        'pnpm cs-aws whoami',
        '```',
      ].join('\n'),
    );
    expect(plain?.exits).toBeUndefined();
    expect(failing?.exits).toBe(1);
    expect(failing?.markerError).toBeUndefined();
  });
});

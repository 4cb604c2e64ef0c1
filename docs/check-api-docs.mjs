// Checks the API documentation that `pnpm run docs` generates (TypeDoc's JSON model, written to
// docs/api/api.json by the "json" option of typedoc.json): every public export of every package
// carries a summary, and every exported function an @example. TypeDoc's own `notDocumented`
// validation checks only that a comment exists; this checks what the project asks of it.
//
// Usage: node docs/check-api-docs.mjs [docs/api/api.json]
// Exit status 1 when an export lacks a summary or a function lacks an example; methods of classes
// without an example are listed for information only.

import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? new URL('./api/api.json', import.meta.url);
let project;
try {
  project = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`cannot read ${String(file)}: ${error.message}; run \`pnpm run docs\` first`);
  process.exit(2);
}

// ReflectionKind values of TypeDoc 0.28.
const FUNCTION = 64;
const CLASS = 128;
const METHOD = 2048;

const hasSummary = (comment) => Boolean(comment?.summary?.some((part) => part.text?.trim()));
const hasExample = (comment) => Boolean(comment?.blockTags?.some((tag) => tag.tag === '@example'));
const signaturesOf = (reflection) => reflection.signatures ?? [];
const anySignature = (reflection, test) =>
  test(reflection.comment) || signaturesOf(reflection).some((s) => test(s.comment));

const noSummary = [];
const noExample = [];
const methodsWithoutExample = [];
let exports = 0;

for (const module of project.children ?? []) {
  for (const reflection of module.children ?? []) {
    exports += 1;
    const name = `${module.name}: ${reflection.name}`;
    if (!anySignature(reflection, hasSummary)) noSummary.push(name);
    if (reflection.kind === FUNCTION && !anySignature(reflection, hasExample)) noExample.push(name);
    if (reflection.kind !== CLASS) continue;
    for (const member of reflection.children ?? []) {
      if (member.kind !== METHOD || member.inheritedFrom || member.flags?.isExternal) continue;
      const memberName = `${name}.${member.name}()`;
      if (!anySignature(member, hasSummary)) noSummary.push(memberName);
      if (!anySignature(member, hasExample)) methodsWithoutExample.push(memberName);
    }
  }
}

const list = (title, names) => {
  console.log(`${title}: ${names.length}`);
  for (const n of names) console.log(`  - ${n}`);
};
console.log(`${exports} exports in ${(project.children ?? []).length} packages`);
list('exports or methods without a summary', noSummary);
list('functions without an @example', noExample);
list('methods without an @example (information)', methodsWithoutExample);
process.exit(noSummary.length + noExample.length > 0 ? 1 : 0);

// Secrets audit (issue 9), a setup file of every vitest project: every fixture secret has the shape
// SECRETFIXTURE-..., and so has every secret @cs/aws-local issues. While a test file runs, this
// watches process.stdout/stderr, console.* and process warnings; a chunk holding the marker is
// recorded (and passed on masked, so the secret never reaches the terminal), and afterAll fails the
// file naming the stream, the test and the masked secret. Tests that read a secret to assert it is
// absent are fine; only what is printed counts.
import { formatWithOptions } from 'node:util';
import { afterAll, expect } from 'vitest';

const MARKER = /SECRETFIXTURE[\w-]*/g;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const;

interface Finding {
  stream: string;
  test: string;
  masked: string;
}

const findings: Finding[] = [];

/** `SECRETFIXTURE-ali…(19 chars)`: enough to tell which fixture, never the secret itself. */
function mask(secret: string): string {
  return `${secret.slice(0, 'SECRETFIXTURE-'.length + 3)}…(${secret.length} chars)`;
}

/** Records the secrets in `text` (if any) and gives the text to pass on, masked. */
function audit(stream: string, text: string): string {
  if (!text.includes('SECRETFIXTURE')) return text;
  const test = expect.getState().currentTestName ?? '(outside a test)';
  const seen = new Set<string>();
  const passed = text.replace(MARKER, (secret) => {
    seen.add(secret);
    return mask(secret);
  });
  for (const secret of seen) findings.push({ stream, test, masked: mask(secret) });
  return passed;
}

function chunkText(chunk: unknown): string | undefined {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk).toString('utf8');
  return undefined;
}

type Write = typeof process.stdout.write;
const restorers: (() => void)[] = [];

for (const name of ['stdout', 'stderr'] as const) {
  const stream = process[name];
  const original = stream.write;
  stream.write = function write(this: unknown, chunk: unknown, ...rest: unknown[]) {
    const text = chunkText(chunk);
    const passed = text === undefined ? chunk : audit(`process.${name}`, text);
    return (original as (...args: unknown[]) => boolean).call(
      this,
      passed === text ? chunk : passed,
      ...rest,
    );
  } as Write;
  restorers.push(() => {
    stream.write = original;
  });
}

for (const method of CONSOLE_METHODS) {
  const original = console[method] as (...args: unknown[]) => void;
  const wrapped = function (this: unknown, ...args: unknown[]): void {
    const text = formatWithOptions({ colors: false }, ...args);
    const passed = audit(`console.${method}`, text);
    if (passed === text) original.apply(this, args);
    else original.call(this, passed);
  };
  console[method] = wrapped;
  restorers.push(() => {
    if (console[method] === wrapped) console[method] = original;
  });
}

function onWarning(warning: Error): void {
  audit('process warning', `${warning.name}: ${warning.message}\n${warning.stack ?? ''}`);
}
process.on('warning', onWarning);
restorers.push(() => process.off('warning', onWarning));

afterAll(() => {
  for (const restore of restorers.splice(0)) restore();
  if (findings.length === 0) return;
  const file = expect.getState().testPath ?? '(unknown test file)';
  const lines = findings.map((f) => `  ${f.stream} in "${f.test}": ${f.masked}`);
  findings.length = 0;
  throw new Error(
    `Secrets audit: ${lines.length} fixture secret(s) were printed while ${file} ran:\n` +
      `${lines.join('\n')}\n` +
      'A secret must never reach an error message, a log line or inspect output: find what printed it and redact it there.',
  );
});

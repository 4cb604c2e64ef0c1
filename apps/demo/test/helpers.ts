import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command, as users run it. */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Called once with the child, e.g. to send it a signal. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
}

/** Runs `node dist/cli.js ...args` and collects its output; the environment is minimal. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return runProcess(process.execPath, [CLI, ...args], options);
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the command under a pseudo-terminal (util-linux `script`), so that its stdout and stderr
 * are terminals; what it wrote to either comes back in `stdout`.
 */
export function runCliInTerminal(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return runProcess('script', ['-qec', command, '/dev/null'], options);
}

const FIXTURE_SECRET = /SECRETFIXTURE[\w-]*/g;

/** `SECRETFIXTURE-ali…(19 chars)`: enough to tell which fixture, never the secret itself. */
const maskSecret = (secret: string): string => `${secret.slice(0, 17)}…(${secret.length} chars)`;
const masked = (text: string): string => text.replace(FIXTURE_SECRET, maskSecret);

/**
 * The secrets audit of issue 9 for spawned commands: throws when the command printed a fixture
 * secret (every fixture secret, and every secret aws-local issues, contains `SECRETFIXTURE`) on
 * stdout or stderr, naming the command and the stream with the secret masked.
 */
export function assertNoFixtureSecret(run: Run, label: string): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    const found = run[stream].match(FIXTURE_SECRET);
    if (found !== null)
      throw new Error(
        `Secrets audit: \`${masked(label)}\` printed ${found.length} fixture secret(s) on ${stream}: ` +
          `${found.map(maskSecret).join(', ')}. A command must never print a secret: redact it where it is printed.`,
      );
  }
}

function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<Run> {
  const label = masked(args.join(' '));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? scratchDir(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${label} did not end within ${options.timeoutMs ?? 50_000} ms\n${masked(stderr)}`,
        ),
      );
    }, options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const run = { code, signal, stdout, stderr };
      try {
        assertNoFixtureSecret(run, label);
        resolvePromise(run);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    options.onSpawn?.(child);
  });
}

const dirs: string[] = [];

/** A new empty directory (no cs-aws.yaml in it), removed by `removeScratchDirs`. */
export function scratchDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cs-aws-demo-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

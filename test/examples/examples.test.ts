// Every fenced code block of every README and of docs/ is an example that must run as written
// (issue 15, SPEC 10): TypeScript is type-checked and run, JavaScript run (ESM, or CommonJS when it
// calls require), YAML configurations parsed and validated by @cs/config with their variables set,
// aws-local fixtures started, shell lines run when they are known to be safe. A block that cannot
// run says why in a marker on the line before it (`<!-- example: skip — reason -->`); an unmarked
// block that cannot run fails. Examples run in a fresh project (a temporary directory whose
// node_modules links the workspace packages and the AWS SDK clients), in a process of their own
// that must exit by itself, against an @cs/aws-local endpoint: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID
// / AWS_SECRET_ACCESS_KEY and the shared config files (profiles ci, prod, dev, management) point
// at it.
import { execFile, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Example, extractExamples } from './extract-examples';
import { EXAMPLE_VARIABLES, PROFILES, exampleFixture } from './example-fixture';
import type { RedisServer } from '../redis-server.mjs';
import { startRedisServer } from '../redis-server.mjs';

const root = join(import.meta.dirname, '..', '..');

/** The Markdown files whose blocks are examples. */
function markdownFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      if (existsSync(join(root, dir, name, 'README.md'))) files.push(`${dir}/${name}/README.md`);
    }
  }
  for (const name of readdirSync(join(root, 'bench')).sort()) {
    if (existsSync(join(root, 'bench', name, 'README.md'))) files.push(`bench/${name}/README.md`);
  }
  if (existsSync(join(root, 'bench', 'README.md'))) files.push('bench/README.md');
  for (const name of readdirSync(join(root, 'docs')).sort()) {
    if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  return files.filter((f) => existsSync(join(root, f)));
}

const examples = markdownFiles().flatMap((file) =>
  extractExamples(file, readFileSync(join(root, file), 'utf8')),
);

const TS = new Set(['ts', 'typescript', 'mts', 'cts']);
const JS = new Set(['js', 'javascript', 'mjs', 'cjs']);
const YAML = new Set(['yaml', 'yml']);
const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
/** Shell commands that only read, and so run in the test: the command line by its README name. */
const SAFE_COMMANDS = [/^pnpm (-s |--silent |run )*cs-aws(\s|$)/];

const slug = (file: string) => file.replace(/[^\w]+/g, '_');
const baseName = (e: Example) => `example_${e.line}`;
const isCommonJs = (e: Example) =>
  e.lang === 'cjs' || (JS.has(e.lang) && /\brequire\(/.test(e.code));
/** Where the example's source is written: `.ts`, or `.mjs` / `.cjs` for JavaScript. */
const sourcePath = (e: Example) =>
  join(
    project,
    slug(e.file),
    `${baseName(e)}.${TS.has(e.lang) ? 'ts' : isCommonJs(e) ? 'cjs' : 'mjs'}`,
  );

let project = '';
let env: NodeJS.ProcessEnv = {};
let closeAws: (() => Promise<void>) | undefined;
let redis: RedisServer | undefined;
let diagnostics = new Map<string, string[]>();

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(realpathSync(target), path, 'dir');
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'cs-aws-examples-'));
  // A new project: the workspace packages and the SDK clients a user would install.
  for (const name of readdirSync(join(root, 'packages'))) {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    link(join(root, 'packages', name), join(project, 'node_modules', ...pkg.name.split('/')));
  }
  for (const client of ['client-sts', 'client-ec2', 'client-iam', 'client-organizations']) {
    link(
      join(root, 'apps/demo/node_modules/@aws-sdk', client),
      join(project, 'node_modules/@aws-sdk', client),
    );
  }
  link(
    join(root, 'packages/ratelimit-redis/node_modules/ioredis'),
    join(project, 'node_modules/ioredis'),
  );
  link(join(root, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));

  // The endpoint every example talks to, and the files and variables that point at it.
  const { startLocalAws } = await import(
    pathToFileURL(join(root, 'packages/aws-local/dist/index.js')).href
  );
  const aws = await startLocalAws(exampleFixture());
  closeAws = () => aws.close();
  const home = join(project, 'home');
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(
    join(home, '.aws', 'config'),
    PROFILES.map((p) => `[profile ${p.name}]\nregion = ${p.region}\n`).join('\n'),
  );
  writeFileSync(
    join(home, '.aws', 'credentials'),
    PROFILES.map(
      (p) =>
        `[${p.name}]\naws_access_key_id = ${p.key.accessKeyId}\naws_secret_access_key = ${p.key.secretAccessKey}\n`,
    ).join('\n'),
  );
  let redisUrl = 'redis://127.0.0.1:1';
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status === 0) {
    redis = await startRedisServer();
    redisUrl = redis.url;
  }
  env = {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_ENDPOINT_URL: aws.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    REDIS_URL: redisUrl,
    ...EXAMPLE_VARIABLES,
  };

  // The TypeScript examples, type-checked together by one compiler run.
  // JavaScript examples are checked too (checkJs): an undefined name fails before anything runs.
  const checked = examples.filter(
    (e) => (TS.has(e.lang) || JS.has(e.lang)) && e.skip === undefined,
  );
  for (const e of examples) mkdirSync(join(project, slug(e.file)), { recursive: true });
  for (const e of checked) writeFileSync(sourcePath(e), e.code);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        lib: ['es2023'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        moduleDetection: 'force',
        allowJs: true,
        checkJs: true,
      },
      include: ['*/*.ts', '*/*.mjs', '*/*.cjs'],
    }),
  );
  if (checked.length > 0) {
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--pretty', 'false'],
      { encoding: 'utf8' },
    );
    diagnostics = new Map();
    for (const line of tsc.stdout.split('\n')) {
      const m = /^(.+?\.[mc]?[tj]s)\(\d+,\d+\): /.exec(line);
      if (!m) continue;
      const file = join(project, m[1]!.startsWith('/') ? relative(project, m[1]!) : m[1]!);
      diagnostics.set(file, [
        ...(diagnostics.get(file) ?? []),
        line.replace(`${m[1]!}`, basename(m[1]!)),
      ]);
    }
    if (tsc.status !== 0 && diagnostics.size === 0)
      throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  }
}, 180_000);

afterAll(async () => {
  await closeAws?.();
  await redis?.stop();
  if (project && !process.env.KEEP_EXAMPLES) rmSync(project, { recursive: true, force: true });
});

/** Writes the `file` blocks of the example's Markdown file into its directory. */
function writeFileBlocks(e: Example): string {
  const dir = join(project, slug(e.file));
  for (const other of examples) {
    if (other.file === e.file && other.fileName)
      writeFileSync(join(dir, other.fileName), other.code);
  }
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  runEnv: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: runEnv, timeout: timeoutMs, maxBuffer: 16 << 20, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const timedOut = error !== null && (error as { killed?: boolean }).killed === true;
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr, timedOut });
      },
    );
  });
}

function describeRun(r: Run): string {
  const tail = (s: string) => s.split('\n').slice(-25).join('\n');
  return `${r.timedOut ? 'did not exit by itself within the time limit' : `exit status ${r.status}`}\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`;
}

async function checkScript(e: Example, fileName: string, source: string): Promise<void> {
  const dir = writeFileBlocks(e);
  writeFileSync(join(dir, fileName), source);
  const r = await run(process.execPath, [fileName], dir, env);
  expect(r.status, `${e.file}:${e.line} ${describeRun(r)}`).toBe(0);
  for (const text of e.prints)
    expect(r.stdout, `${e.file}:${e.line} should print ${text}`).toContain(text);
}

async function checkExample(e: Example): Promise<void> {
  if (e.markerError) throw new Error(`${e.file}:${e.line - 1}: ${e.markerError}`);
  if (TS.has(e.lang)) {
    const problems = diagnostics.get(sourcePath(e)) ?? [];
    expect(problems.join('\n'), `${e.file}:${e.line}: the example does not type-check`).toBe('');
    const js = ts.transpileModule(e.code, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    return checkScript(e, `${baseName(e)}.mjs`, js);
  }
  if (JS.has(e.lang)) {
    const problems = diagnostics.get(sourcePath(e)) ?? [];
    expect(
      problems.join('\n'),
      `${e.file}:${e.line}: the example does not type-check (checkJs)`,
    ).toBe('');
    return checkScript(e, basename(sourcePath(e)), e.code);
  }
  if (YAML.has(e.lang)) {
    if (e.fixture) {
      const path = join(writeFileBlocks(e), `${baseName(e)}.fixture.yaml`);
      writeFileSync(path, e.code);
      const { startLocalAws } = await import(
        pathToFileURL(join(root, 'packages/aws-local/dist/index.js')).href
      );
      const aws = await startLocalAws(path);
      await aws.close();
      return;
    }
    const { parseConfig } = await import(
      pathToFileURL(join(root, 'packages/config/dist/index.js')).href
    );
    const config = await parseConfig(e.code, { env, source: `${e.file}:${e.line}` });
    expect(
      Object.keys(config).length,
      `${e.file}:${e.line}: an empty configuration`,
    ).toBeGreaterThan(0);
    return;
  }
  if (SHELL.has(e.lang)) {
    const commands = e.code
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const unsafe = commands.filter((c) => !SAFE_COMMANDS.some((s) => s.test(c)));
    if (unsafe.length > 0) {
      throw new Error(
        `${e.file}:${e.line}: ${unsafe.map((c) => `"${c}"`).join(', ')} cannot run in the test (not a read-only command): mark the block with <!-- example: skip — why --> on the line before it`,
      );
    }
    // The command line as a newcomer runs it: from the repository root, with no AWS settings.
    const shellEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('AWS_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS',
      ),
    );
    // `pnpm test` run as `npx -y pnpm@10 test` may leave no pnpm on PATH: use the one running us.
    const execPath = process.env.npm_execpath ?? '';
    if (spawnSync('sh', ['-c', 'command -v pnpm']).status !== 0 && /pnpm/.test(execPath)) {
      const bin = join(project, 'bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(
        join(bin, 'pnpm'),
        `#!/bin/sh\nexec "${process.execPath}" "${execPath}" "$@"\n`,
        { mode: 0o755 },
      );
      shellEnv.PATH = `${bin}:${shellEnv.PATH ?? ''}`;
    }
    let stdout = '';
    for (const command of commands) {
      const r = await run(
        'sh',
        ['-c', command],
        root,
        { ...shellEnv, FORCE_COLOR: '0', CI: 'true' },
        120_000,
      );
      expect(r.status, `${e.file}:${e.line}: ${command}\n${describeRun(r)}`).toBe(e.exits ?? 0);
      stdout += r.stdout;
    }
    for (const text of e.prints)
      expect(stdout, `${e.file}:${e.line} should print ${text}`).toContain(text);
    return;
  }
  throw new Error(
    `${e.file}:${e.line}: a \`\`\`${e.lang || '(no language)'} block is not something the examples check can run: mark it with <!-- example: skip — why --> on the line before it`,
  );
}

for (const file of [...new Set(examples.map((e) => e.file))]) {
  describe(file, () => {
    for (const e of examples.filter((x) => x.file === file)) {
      const name = `line ${e.line} (${e.lang || 'no language'})`;
      if (e.skip !== undefined && !e.markerError) it.skip(`${name}: not run: ${e.skip}`, () => {});
      else it(`${name} runs as written`, () => checkExample(e), 150_000);
    }
  });
}

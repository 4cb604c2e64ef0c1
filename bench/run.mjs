#!/usr/bin/env node
// `pnpm bench <name> [args]` runs bench/<name>/run.mjs; `pnpm bench` lists the benchmarks.
// Benchmarks are never part of the tests: each prints a markdown table of ratios side by side.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const names = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.mjs')))
  .map((d) => d.name);
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: pnpm bench <name> [args]\nbenchmarks: ${names.join(', ')}`);
  process.exit(name ? 2 : 0);
}
const { status } = spawnSync(process.execPath, [join(here, name, 'run.mjs'), ...args], {
  stdio: 'inherit',
});
process.exit(status ?? 1);

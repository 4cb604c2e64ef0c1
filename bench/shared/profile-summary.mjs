// Where a CPU profile's time went: `node bench/shared/profile-summary.mjs FILE.cpuprofile...`
// prints, per file, the total sampled time and the functions and packages with the most self
// time (a package: the node_modules package or workspace package a function's file is in).
import { readFileSync } from 'node:fs';

const packageOf = (url) => {
  if (url === '') return '(native / VM)';
  const modules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const workspace = /\/(packages|apps|bench)\/([^/]+)\//.exec(url);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  if (url.startsWith('node:')) return 'node';
  return url;
};

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, n) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[n] ?? 0));
  });
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    total += micros;
    const pkg = packageOf(callFrame.url);
    const fn = `${callFrame.functionName || '(anonymous)'} ${pkg}:${callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  }
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, v]) =>
          `  ${(v / 1000).toFixed(0).padStart(6)} ms  ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`,
      )
      .join('\n');
  console.log(
    `\n${file}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`,
  );
  console.log(`by package:\n${top(byPackage, 15)}`);
  console.log(`by function:\n${top(byFunction, 25)}`);
}

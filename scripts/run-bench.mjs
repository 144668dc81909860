// Runs every compiled benchmark (dist/bench/**/*.bench.js) one after another, never in parallel,
// so they do not disturb each other's figures. Arguments narrow the run by path substring.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.bench.js') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = collect('dist/bench').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

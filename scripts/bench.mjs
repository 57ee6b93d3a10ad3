// `npm run bench`: runs every benchmark in test/bench/ (one child process each, so they don't
// share heap or JIT state), prints one table of figures and targets, and writes
// bench-results/latest.json. Benchmarks never decide pass or fail; `npm test` does not run them.
// Usage: npm run bench [-- NAME-FILTER... ] [-- --quick]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import os from 'node:os';

const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith('--'));
const only = args.filter((a) => !a.startsWith('--'));
const files = readdirSync('test/bench')
  .filter((f) => f.endsWith('.ts') && f !== 'report.ts' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

// Each benchmark (and the sandbox child some of them start) runs bundled by esbuild, as the
// extension and the command line ship, in plain node: under tsx every closure the code creates
// also gets a name defined on it (esbuild's keepNames), work the shipped code never does. Kept
// under node_modules so the bundles find the packages they leave out (imapflow, nodemailer...).
const buildDir = join('node_modules', '.cache', 'mailwire-bench');
rmSync(buildDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [...files, '_sandbox-child.ts'].map((f) => join('test/bench', f)),
  outdir: buildDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});

const rows = [];
const failures = [];
for (const file of files) {
  console.log(`\n### ${file}`);
  const bundle = join(buildDir, file.replace(/\.ts$/, '.js'));
  const r = spawnSync(process.execPath, ['--enable-source-maps', bundle, ...passThrough], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, MAILWIRE_BENCH_BUILD: buildDir },
  });
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH_JSON ')) {
      for (const row of JSON.parse(line.slice('BENCH_JSON '.length))) rows.push({ bench: file, ...row });
    } else if (line) console.log(line);
  }
  if (r.status !== 0) failures.push(`${file} exited with ${r.status ?? r.signal}`);
}

function formatValue(v) {
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(2);
}
const header = ['benchmark', 'value', 'unit', 'target', 'met'];
const table = rows.map((r) => [
  r.name,
  formatValue(r.value),
  r.unit,
  r.target ?? '',
  r.met === undefined ? '' : r.met ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmtRow = (row) =>
  row.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ');
console.log(`\n${fmtRow(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
for (const row of table) console.log(fmtRow(row));
for (const f of failures) console.log(`benchmark failed: ${f}`);

mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/latest.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      rows,
      failures,
    },
    null,
    2,
  ) + '\n',
);
console.log('\nwrote bench-results/latest.json');
// Exit 0 even when a target is missed: figures are information, not a test.
process.exit(failures.length ? 1 : 0);

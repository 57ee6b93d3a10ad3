// Extension start: time to require the extension bundle and run activate() against a stub
// `vscode` module, and the bundle's size. The figure that counts is the production (minified)
// bundle, the one the .vsix ships; the development bundle is reported for information. Both are
// built here into a temporary directory by scripts/build.mjs (dist/ is left alone), and each is
// loaded in a fresh plain `node` child, as VS Code's extension host loads it: tsx's loader hooks,
// which this script runs under, add about 20 ms to requiring a large .js file.
// Run: node --import tsx test/bench/extension-start.ts [--runs N] [--quick] [--profile]
// (--profile writes a CPU profile of each child run into the temporary directory.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { ExtensionLoadResult } from './_extension-load.js';
import { emitRows } from './report.js';

const root = process.cwd();
const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : quick ? 5 : 15;

/** Builds the extension bundle with the project's own build script into `outdir`. */
function buildExtension(outdir: string, production: boolean): string {
  execFileSync(
    process.execPath,
    ['scripts/build.mjs', ...(production ? ['--production'] : []), '--outdir', outdir, '--only', 'extension'],
    { cwd: root, stdio: 'inherit' },
  );
  return join(outdir, 'extension.js');
}

/** One require + activate in a fresh plain-node process. */
function loadOnce(loader: string, bundle: string, profileDir: string | undefined): ExtensionLoadResult {
  const args = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    loader,
    bundle,
    join(root, 'package.json'),
    join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'),
  ];
  const out = execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ExtensionLoadResult;
}

interface Figures {
  readonly sizeKiB: number;
  readonly require: number[];
  readonly total: number[];
  readonly subscriptions: Set<number>;
  readonly errors: Set<string>;
}

function measure(loader: string, bundle: string, profileDir: string | undefined): Figures {
  const figures: Figures = {
    sizeKiB: statSync(bundle).size / 1024,
    require: [],
    total: [],
    subscriptions: new Set(),
    errors: new Set(),
  };
  // One unmeasured run so the file is in the page cache, as it is after the first window.
  loadOnce(loader, bundle, undefined);
  for (let i = 0; i < runs; i++) {
    const r = loadOnce(loader, bundle, profileDir);
    figures.require.push(r.requireMs);
    figures.total.push(r.requireMs + r.activateMs);
    figures.subscriptions.add(r.subscriptions);
    if (r.error) figures.errors.add(r.error);
  }
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function describe(name: string, f: Figures): string {
  const range = (v: number[]) =>
    `median ${median(v).toFixed(1)} ms (${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)})`;
  return (
    `${name} ${f.sizeKiB.toFixed(0)} KiB: require ${range(f.require)}, require + activate ${range(f.total)}` +
    ` over ${f.total.length} runs; ${[...f.subscriptions].join('/')} subscriptions` +
    (f.errors.size ? `; activate threw against the stub: ${[...f.errors].join(' | ')}` : '')
  );
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mailwire-extension-start-'));
  try {
    const loader = join(work, 'extension-load.js');
    await esbuild.build({
      entryPoints: [join(root, 'test', 'bench', '_extension-load.ts')],
      outfile: loader,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    const production = buildExtension(join(work, 'production'), true);
    const development = buildExtension(join(work, 'development'), false);
    const profileDir = profile ? join(work, 'profiles') : undefined;
    const prod = measure(loader, production, profileDir && join(profileDir, 'production'));
    const dev = measure(loader, development, profileDir && join(profileDir, 'development'));
    // The machine may be shared: the load says how much to trust the figures.
    const load = loadavg().map((l) => l.toFixed(2));
    console.log(`load average ${load.join(' ')}`);
    console.log(describe('production bundle', prod));
    console.log(describe('development bundle', dev));
    const sameSubscriptions =
      prod.subscriptions.size === 1 &&
      dev.subscriptions.size === 1 &&
      [...prod.subscriptions][0] === [...dev.subscriptions][0];
    if (!sameSubscriptions)
      console.log('the production and development bundles registered different subscriptions');
    if (profileDir) console.log(`CPU profiles in ${profileDir} (kept)`);
    const prodTotal = median(prod.total);
    emitRows([
      { name: 'extension: require (production bundle)', value: median(prod.require), unit: 'ms' },
      {
        name: 'extension: require + activate() (production bundle)',
        value: prodTotal,
        unit: 'ms',
        target: '< 50',
        met: prodTotal < 50 && prod.errors.size === 0 && sameSubscriptions,
      },
      {
        name: 'extension: bundle size (production)',
        value: prod.sizeKiB,
        unit: 'KiB',
        target: '< 1024',
        met: prod.sizeKiB < 1024,
      },
      { name: 'extension: require + activate() (development bundle)', value: median(dev.total), unit: 'ms' },
      { name: 'extension: bundle size (development)', value: dev.sizeKiB, unit: 'KiB' },
    ]);
  } finally {
    if (!profile) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

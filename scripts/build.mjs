// Bundles the extension host, the command line and the webview with esbuild.
// Type checking is separate (`tsc --noEmit`, run by `npm run check`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** The value after a flag (`--outdir DIR`), or undefined when the flag is absent. */
function option(name) {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}
// For the benchmarks: `--outdir DIR` writes the bundles there instead of dist/, and
// `--only extension,sandbox` builds just the named bundles (the outfile name without .js).
const outdir = option('--outdir') ?? 'dist';
const only = option('--only')?.split(',');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];
// The sandbox as its own bundle: the extension loads it only when the user starts the sandbox.
builds.push({
  ...common,
  entryPoints: ['src/sandbox/launcher.ts'],
  outfile: 'dist/sandbox.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
});
// The MIME structure code for fetched messages (it carries libmime): loaded when a message opens.
builds.push({
  ...common,
  entryPoints: ['src/message/outline.ts'],
  outfile: 'dist/message.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
});
if (existsSync('src/extension.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
}
if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

const selected = builds
  .filter((b) => only === undefined || only.includes(basename(b.outfile, '.js')))
  .map((b) => ({ ...b, outfile: join(outdir, basename(b.outfile)) }));
if (only !== undefined && selected.length !== only.length)
  throw new Error(`--only ${only.join(',')}: unknown bundle`);

if (watch) {
  const contexts = await Promise.all(selected.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes...');
} else {
  await Promise.all(selected.map((b) => esbuild.build(b)));
}

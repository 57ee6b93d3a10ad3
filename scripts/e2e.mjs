// npm run test:e2e: end-to-end tests in a real VS Code (code-server) driven in Debian's Chromium.
// 1. checks Chromium, 2. installs code-server once into a cache outside the repo,
// 3. packages the extension (npm run package), 4. runs test/e2e/*.test.ts, which install the .vsix.
// Options: --no-package (reuse dist/mailwire.vsix), --update-screenshots (copy the README's
// pictures from this run into media/screenshots), test files to run only those.
// Anything missing is a failure with a clear message, never a skip: CI must not pass without it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, copyFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CODE_SERVER_VERSION = '4.100.3';
// @vscode/ripgrep (a code-server dependency) downloads this file at install time unless it is
// already in its cache; the download is blocked here, so we put Debian's rg there ourselves.
const RIPGREP_CACHE = `vscode-ripgrep-cache-1.15.11`;
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();

function fail(message) {
  console.error(`\ntest:e2e FAILED: ${message}`);
  process.exit(1);
}

function log(message) {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[e2e ${s}s] ${message}`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${cmd} could not run: ${result.error.message}`);
  return result.status ?? 1;
}

function findChromium() {
  // A browser named in the environment is used as given (and fails the run if it is missing).
  if (process.env.MAILWIRE_E2E_CHROMIUM) return process.env.MAILWIRE_E2E_CHROMIUM;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((c) => existsSync(c));
}

function cacheDir() {
  if (process.env.MAILWIRE_E2E_CACHE) return resolve(process.env.MAILWIRE_E2E_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'mailwire-e2e');
}

function ensureRipgrepCache() {
  const dir = join(process.env.TMPDIR || tmpdir(), RIPGREP_CACHE);
  const tarball = join(dir, RIPGREP_TARBALL);
  if (existsSync(tarball)) return;
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => existsSync(p));
  if (!rg) fail('ripgrep (rg) is not installed; run .ci/install-e2e-packages.sh as root');
  const staging = join(dir, 'staging');
  mkdirSync(staging, { recursive: true });
  copyFileSync(rg, join(staging, 'rg'));
  if (run('tar', ['-czf', tarball, '-C', staging, 'rg']) !== 0)
    fail('could not write the ripgrep cache tarball');
  rmSync(staging, { recursive: true, force: true });
}

/** Returns the code-server launcher, installing it first if the cache does not hold it yet. */
function ensureCodeServer() {
  const dir = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, 'installed.ok');
  if (existsSync(marker) && existsSync(bin)) return bin;

  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once; about a minute)`);
  ensureRipgrepCache();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, name: 'mailwire-e2e-code-server' }),
  );
  const status = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--foreground-scripts',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      cwd: dir,
      env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
    },
  );
  if (status !== 0 || !existsSync(bin)) {
    fail(
      `npm install code-server@${CODE_SERVER_VERSION} failed (exit ${status}); ` +
        'the system packages come from .ci/install-e2e-packages.sh',
    );
  }
  writeFileSync(marker, new Date().toISOString() + '\n');
  return bin;
}

function testFiles() {
  const dir = join(root, 'test', 'e2e');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.test.ts'))
    .sort()
    .map((n) => join('test', 'e2e', n));
}

const chromium = findChromium();
if (!chromium || !existsSync(chromium))
  fail(
    `Chromium is not installed (${chromium ?? '/usr/bin/chromium'}); run .ci/install-e2e-packages.sh as root`,
  );
log(`chromium: ${chromium}`);

const codeServer = ensureCodeServer();
log(`code-server: ${codeServer}`);

if (!process.argv.includes('--no-package')) {
  log('packaging the extension (npm run package)');
  if (run('npm', ['run', 'package', '--silent'], { cwd: root }) !== 0) fail('npm run package failed');
}
const vsix = join(root, 'dist', 'mailwire.vsix');
if (!existsSync(vsix)) fail(`${vsix} is missing after npm run package`);
log(`vsix: ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const selected = files.length ? files : testFiles();
if (selected.length === 0) fail('no test files in test/e2e');

// Each run's screenshots only: old ones would pass for this run's.
const artifacts = join(root, 'e2e-artifacts');
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const status = run(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...selected],
  {
    cwd: root,
    env: {
      ...process.env,
      MAILWIRE_E2E_CODE_SERVER: codeServer,
      MAILWIRE_E2E_CHROMIUM: chromium,
      MAILWIRE_E2E_VSIX: vsix,
      MAILWIRE_E2E_ARTIFACTS: artifacts,
    },
  },
);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${artifacts}`);
if (status !== 0) fail(`end-to-end tests failed (exit ${status}); screenshots in ${artifacts}`);

// --update-screenshots: the README's pictures, taken from this (passing) run.
const README_SHOTS = {
  'imap-transcript': 'transcript.png',
  'state-view-idle': 'state-view.png',
  'script-run': 'script-run.png',
  'pop3-marked': 'pop3-maildrop.png',
};
if (process.argv.includes('--update-screenshots')) {
  const target = join(root, 'media', 'screenshots');
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(artifacts)) {
    const name = /^\d+-(.+)\.png$/.exec(file)?.[1];
    const out = name && README_SHOTS[name];
    if (!out) continue;
    copyFileSync(join(artifacts, file), join(target, out));
    const kib = statSync(join(target, out)).size / 1024;
    log(`media/screenshots/${out}: ${kib.toFixed(0)} KiB${kib > 300 ? ' (over 300 KiB: crop it)' : ''}`);
  }
}

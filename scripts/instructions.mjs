// `npm run bench:instructions`: instructions per in-memory NOOP (IMAP, POP3, and the loop alone),
// counted by valgrind's callgrind. Times on a shared machine move by tens of percent; this count
// repeats to within about 1%, so it shows small changes to the session's path. Not part of
// `npm run bench` (it takes a few minutes) and never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error('valgrind is needed (Debian: apt-get install valgrind)');
  process.exit(1);
}
const outdir = join('node_modules', '.cache', 'mailwire-instructions');
await esbuild.build({
  entryPoints: ['test/bench/_instructions-child.ts'],
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const child = join(outdir, '_instructions-child.js');

/** Instructions of one run of `count` commands after the warm-up. */
function instructions(mode, count) {
  const r = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      child,
      mode,
      String(count),
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`callgrind run failed (${mode} ${count}):\n${r.stderr}`);
  return Number(m[1]);
}

const LOW = 20_000;
const HIGH = 40_000;
for (const mode of ['imap', 'pop3', 'harness']) {
  const perCommand = (instructions(mode, HIGH) - instructions(mode, LOW)) / (HIGH - LOW);
  const what =
    mode === 'harness'
      ? 'the loop and answering transport alone'
      : `${mode.toUpperCase()} NOOP through a session`;
  console.log(`${what}: ${Math.round(perCommand).toLocaleString('en-US')} instructions per command`);
}

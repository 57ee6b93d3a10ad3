// `npm run fuzz`: the fuzz tests of test/unit/fuzz with many more cases than `npm test` runs.
// Usage: npm run fuzz [-- --runs N] [-- --session-runs N] [-- --seed S] [-- imap pop3 smtp]
// Defaults: 2,000,000 codec cases and 50,000 session cases per protocol. A failure prints the
// seed and path; rerun with `--seed S` (and the same counts) to replay it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  if (value === undefined || !/^-?\d+$/.test(value)) {
    console.error(`${name} needs a whole number`);
    process.exit(2);
  }
  return value;
}
const runs = option('--runs', '2000000');
const sessionRuns = option('--session-runs', '50000');
const seed = option('--seed', undefined);
const protocols = args.length > 0 ? args : ['imap', 'pop3', 'smtp'];
const unknown = protocols.filter((p) => !['imap', 'pop3', 'smtp'].includes(p));
if (unknown.length > 0) {
  console.error(`unknown protocol: ${unknown.join(', ')} (use imap, pop3, smtp)`);
  process.exit(2);
}

const started = Date.now();
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=0',
    '--test-reporter=spec',
    ...protocols.map((p) => join('test', 'unit', 'fuzz', `${p}.test.ts`)),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      MAILWIRE_FUZZ_RUNS: runs,
      MAILWIRE_FUZZ_SESSION_RUNS: sessionRuns,
      ...(seed !== undefined ? { MAILWIRE_FUZZ_SEED: seed } : {}),
    },
  },
);
console.log(`fuzzing took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);

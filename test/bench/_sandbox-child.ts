// Runs the sandbox in its own process for benchmarks that must measure only the client (CPU and
// memory). Prints one JSON line with the ports, then runs until stdin closes.
// Started by _sandbox-process.ts; not a benchmark itself (the leading underscore keeps it out of
// scripts/bench.mjs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/launcher.js';

function bigMessage(size: number): Buffer {
  const head = Buffer.from('From: bob@example.test\r\nTo: alice@example.test\r\nSubject: big\r\n\r\n');
  const body = Buffer.alloc(size - head.length, 'y');
  for (let i = 76; i + 1 < body.length; i += 78) {
    body[i] = 13;
    body[i + 1] = 10;
  }
  return Buffer.concat([head, body]);
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
    certDir: mkdtempSync(join(tmpdir(), 'mailwire-bench-cert-')),
  });
  // MAILWIRE_BENCH_BIG_MB=N: deliver one message of N MB to alice first (memory benchmark).
  const bigMb = Number(process.env.MAILWIRE_BENCH_BIG_MB ?? 0);
  if (bigMb > 0) sandbox.store.deliver('alice@example.test', bigMessage(bigMb * 1024 * 1024));
  process.stdout.write(`${JSON.stringify({ ports: sandbox.ports })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

// The session's own cost per command, without a network or a server: IMAP and POP3 NOOPs through
// a MailSession over an in-memory transport that answers each command in the next microtask.
// What remains is the codec, the transcript and the session's bookkeeping; the round-trip
// benchmark shows what that costs against a real socket. Best of five rounds.
// Run: node --import tsx test/bench/session-cpu.ts [--quick]
import { answeringSession, noopLine, type NoopProtocol } from './_answering-transport.js';
import { best, emitRows, type BenchRow } from './report.js';

const quick = process.argv.includes('--quick');
const COMMANDS = quick ? 20_000 : 100_000;
const WARM_UP = quick ? 5_000 : 30_000;

async function perCommand(protocol: NoopProtocol): Promise<number> {
  const session = await answeringSession(protocol);
  for (let i = 0; i < WARM_UP; i++) await session.sendRaw(noopLine(protocol, i));
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < COMMANDS; i++) {
      const result = await session.sendRaw(noopLine(protocol, i));
      if (result.outcome !== 'ok') throw new Error(`${protocol} NOOP failed: ${result.text}`);
    }
    rounds.push(Number(process.hrtime.bigint() - t0) / 1e3 / COMMANDS);
  }
  session.close();
  return best(rounds);
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  const imap = await perCommand('imap');
  const pop3 = await perCommand('pop3');
  console.log(`IMAP NOOP through a session, in memory: ${imap.toFixed(2)} us per command`);
  console.log(`POP3 NOOP through a session, in memory: ${pop3.toFixed(2)} us per command`);
  rows.push(
    { name: 'IMAP NOOP through a session, in memory (no network)', value: imap, unit: 'us/command' },
    { name: 'POP3 NOOP through a session, in memory (no network)', value: pop3, unit: 'us/command' },
  );
  emitRows(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

// Parser throughput: a 10k-line SMTP multi-line reply and a 50 MB POP3 RETR body, each at 1x, 4x
// and 16x size, fed in 64 KiB chunks. Linear parsing shows as a flat MB/s across the sizes.
// Run: node --import tsx test/bench/smtp-pop3-parse.ts [--quick]   (--quick: 1x and 4x only)
import { SmtpClientCodec } from '../../src/protocol/smtp/index.js';
import { Pop3ClientCodec } from '../../src/protocol/pop3/index.js';
import { dotStuff } from '../../src/protocol/smtp/data.js';
import { emitRows, type BenchRow } from './report.js';

const CHUNK = 64 * 1024;
/** Runs per POP3 size; the fastest counts (see below). */
const REPEATS = process.argv.includes('--quick') ? 1 : 3;
const scales = process.argv.includes('--quick') ? [1, 4] : [1, 4, 16];

function feed(receive: (b: Uint8Array) => unknown[], block: Buffer, repeat: number): number {
  let events = 0;
  for (let r = 0; r < repeat; r++) {
    for (let at = 0; at < block.length; at += CHUNK) events += receive(block.subarray(at, at + CHUNK)).length;
  }
  return events;
}

const rows: BenchRow[] = [];
const perByteAtX1 = new Map<string, number>();

/** Prints one run; past x1, records time per byte relative to x1 (target: within 15%). */
function report(what: string, bytes: number, ns: bigint, events: number): void {
  const s = Number(ns) / 1e9;
  const [series, scale] = what.split(' x') as [string, string];
  if (scale === '1') perByteAtX1.set(series, s / bytes);
  else {
    const rel = s / bytes / (perByteAtX1.get(series) ?? Number.NaN);
    rows.push({
      name: `scaling ${what}`,
      value: rel,
      unit: 'time/byte vs x1',
      target: '<= 1.15',
      met: rel <= 1.15,
    });
  }
  console.log(
    `${what.padEnd(36)} ${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${(bytes / 1e6 / s).toFixed(1).padStart(8)} MB/s  ${events} events`,
  );
}

// SMTP: one 10k-line reply (the maxSmtpReplyLines limit); the scale repeats it (10k, 40k, 160k lines).
const reply = ('250-' + 'x'.repeat(40) + '\r\n').repeat(9_999) + '250 end\r\n';
const smtpBlock = Buffer.from(reply);
for (const scale of [0, ...scales]) {
  // Scale 0 is an unreported warm-up run (JIT), so x1 is not mostly compile time.
  const codec = new SmtpClientCodec();
  codec.receive(Buffer.from('220 bench\r\n'));
  for (let i = 0; i < scale; i++) codec.noop();
  const t0 = process.hrtime.bigint();
  const events = feed((b) => codec.receive(b), smtpBlock, scale);
  if (scale === 0) {
    for (let i = 0; i < 3; i++) codec.noop();
    feed((b) => codec.receive(b), smtpBlock, 3);
    continue;
  }
  report(`SMTP 10k-line reply x${scale}`, smtpBlock.length * scale, process.hrtime.bigint() - t0, events);
}

// POP3: a 50 MB body (80-byte lines, some dot-stuffed) at 1x/4x/16x, streamed as payload chunks;
// timed in CPU time, best of REPEATS runs per size (MB/s below are MB per CPU second).
const line = 'The quick brown fox jumps over the lazy dog; the quick brown fox jumps again.\r\n';
const block = dotStuff(
  Buffer.from((line + '.' + line).repeat(Math.floor((1024 * 1024) / (2 * line.length + 1)))),
);
const blocksPer50MB = Math.round((50 * 1024 * 1024) / block.length);
function retr(scale: number): { ns: bigint; events: number } {
  const codec = new Pop3ClientCodec();
  codec.receive(Buffer.from('+OK ready\r\n'));
  codec.retr(1);
  codec.takeOutgoing();
  // CPU time of this process, not wall time: other work on a shared machine takes the core away
  // for a while in a long run far more often than in a short one, which skews the ratio.
  const c0 = process.cpuUsage();
  let events = codec.receive(Buffer.from('+OK message follows\r\n')).length;
  events += feed((b) => codec.receive(b), block, blocksPer50MB * Math.max(scale, 1));
  events += codec.receive(Buffer.from('.\r\n')).length;
  const cpu = process.cpuUsage(c0);
  return { ns: BigInt(cpu.user + cpu.system) * 1000n, events };
}
for (const scale of [0, ...scales]) {
  // Scale 0: an unreported warm-up run of one 50 MB body.
  if (scale === 0) {
    retr(0);
    continue;
  }
  // Best of REPEATS: on a shared machine a single 0.2 s run at x1 swings by a third, which made
  // the ratio look like a scaling problem; the fastest run is the codec's own cost.
  let best = retr(scale);
  for (let i = 1; i < REPEATS; i++) {
    const next = retr(scale);
    if (next.ns < best.ns) best = next;
  }
  report(`POP3 RETR 50 MB x${scale}`, block.length * blocksPer50MB * scale, best.ns, best.events);
}
emitRows(rows);

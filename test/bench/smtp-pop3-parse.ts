// Parser throughput: a 10k-line SMTP multi-line reply and a 50 MB POP3 RETR body, each at 1x, 4x
// and 16x size, fed in 64 KiB chunks. Linear parsing shows as a flat MB/s across the sizes.
// Run: node --import tsx test/bench/smtp-pop3-parse.ts [--quick]   (--quick: 1x and 4x only)
import { SmtpClientCodec } from '../../src/protocol/smtp/index.js';
import { Pop3ClientCodec } from '../../src/protocol/pop3/index.js';
import { dotStuff } from '../../src/protocol/smtp/data.js';

const CHUNK = 64 * 1024;
const scales = process.argv.includes('--quick') ? [1, 4] : [1, 4, 16];

function feed(receive: (b: Uint8Array) => unknown[], block: Buffer, repeat: number): number {
  let events = 0;
  for (let r = 0; r < repeat; r++) {
    for (let at = 0; at < block.length; at += CHUNK) events += receive(block.subarray(at, at + CHUNK)).length;
  }
  return events;
}

function report(what: string, bytes: number, ns: bigint, events: number): void {
  const s = Number(ns) / 1e9;
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

// POP3: a 50 MB body (80-byte lines, some dot-stuffed) at 1x/4x/16x, streamed as payload chunks.
const line = 'The quick brown fox jumps over the lazy dog; the quick brown fox jumps again.\r\n';
const block = dotStuff(
  Buffer.from((line + '.' + line).repeat(Math.floor((1024 * 1024) / (2 * line.length + 1)))),
);
const blocksPer50MB = Math.round((50 * 1024 * 1024) / block.length);
for (const scale of scales) {
  const codec = new Pop3ClientCodec();
  codec.receive(Buffer.from('+OK ready\r\n'));
  codec.retr(1);
  codec.takeOutgoing();
  const t0 = process.hrtime.bigint();
  let events = codec.receive(Buffer.from('+OK message follows\r\n')).length;
  events += feed((b) => codec.receive(b), block, blocksPer50MB * scale);
  events += codec.receive(Buffer.from('.\r\n')).length;
  report(
    `POP3 RETR 50 MB x${scale}`,
    block.length * blocksPer50MB * scale,
    process.hrtime.bigint() - t0,
    events,
  );
}

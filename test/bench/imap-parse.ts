// Throughput of the IMAP client codec through receive(): a FETCH ENVELOPE stream for 100,000
// messages and 1 MiB BODY[] literals, both fed in 64 KiB chunks.
// Run: node --import tsx test/bench/imap-parse.ts
import { ImapClientCodec } from '../../src/protocol/imap/index.js';

const CHUNK = 64 * 1024;

function envelopeStream(messages: number): Buffer {
  const lines: string[] = ['* OK [CAPABILITY IMAP4rev1] ready\r\n'];
  for (let n = 1; n <= messages; n++) {
    lines.push(
      `* ${n} FETCH (UID ${n + 1000} FLAGS (\\Seen) RFC822.SIZE ${2000 + (n % 5000)} ENVELOPE ` +
        `("Mon, 7 Feb 1994 21:52:25 -0800" "Message number ${n} about \\"things\\"" ` +
        `(("Fred Foobar" NIL "foobar" "blurdybloop.example")) (("Fred Foobar" NIL "foobar" "blurdybloop.example")) ` +
        `(("Fred Foobar" NIL "foobar" "blurdybloop.example")) ((NIL NIL "mooch" "owatagu.siam.edu.example")) ` +
        `NIL NIL NIL "<B27397-0100000-${n}@blurdybloop.example>"))\r\n`,
    );
  }
  return Buffer.from(lines.join(''), 'latin1');
}

function bodyStream(messages: number, size: number): Buffer {
  const body = Buffer.alloc(size, 'x');
  for (let i = 76; i + 1 < size; i += 78) {
    body[i] = 13;
    body[i + 1] = 10;
  }
  const parts: Buffer[] = [Buffer.from('* OK ready\r\n')];
  for (let n = 1; n <= messages; n++) {
    parts.push(Buffer.from(`* ${n} FETCH (UID ${n} BODY[] {${size}}\r\n`), body, Buffer.from(')\r\n'));
  }
  return Buffer.concat(parts);
}

function run(name: string, input: Buffer): void {
  const codec = new ImapClientCodec();
  let responses = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < input.length; i += CHUNK) {
    for (const ev of codec.receive(input.subarray(i, i + CHUNK))) {
      if (ev.type === 'untagged' || ev.type === 'greeting') responses++;
      else if (ev.type === 'protocol-error') errors++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // CPU time as well: on a shared machine wall time includes other people's work.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mb = input.length / 1e6;
  console.log(
    `${name}: ${mb.toFixed(1)} MB, wall ${seconds.toFixed(3)} s = ${(mb / seconds).toFixed(1)} MB/s ` +
      `(${Math.round(responses / seconds).toLocaleString('en-US')} responses/s); ` +
      `CPU ${cpuSeconds.toFixed(3)} s = ${(mb / cpuSeconds).toFixed(1)} MB/s; ${responses} responses, ${errors} errors`,
  );
}

const envelopes = envelopeStream(100_000);
const bodies = bodyStream(200, 1024 * 1024);
for (let round = 1; round <= 3; round++) {
  console.log(`round ${round}`);
  run('FETCH UID/FLAGS/RFC822.SIZE/ENVELOPE x 100,000', envelopes);
  run('FETCH BODY[] 1 MiB x 200', bodies);
}

// Limits against a hostile server on loopback: each case ends with a specific message naming the
// limit or the fault, memory stays bounded, and the transcript keeps what the server sent.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { answering, openTracked, tracker } from './common.js';
import { startHostileServer } from '../../helpers/hostile-server.js';

const t = tracker();
after(() => t.cleanup());

const MB = 1024 * 1024;

function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

test('IMAP: a 10 MB line ends with a message naming maxLineLength, memory bounded', async () => {
  const before = rssMb();
  const s = await answering('* OK ready\r\n', [
    [
      /N1 NOOP/,
      async (tag, c) => {
        await c.send('* OK ');
        const block = Buffer.alloc(64 * 1024, 0x61);
        for (let i = 0; i < 160 && !c.closed; i++) await c.send(block);
        return `\r\n${tag} OK done\r\n`;
      },
    ],
    [/N2 NOOP/, (tag) => `${tag} OK still here\r\n`],
  ]);
  const session = await openTracked(t, s, 'imap');
  const result = await session.sendRaw('N1 NOOP');
  const text = session.transcript.render({ timestamps: false });
  assert.match(text, /line longer than .*maxLineLength|maxLineLength/, `${result.outcome}: ${result.text}`);
  // Either closed with that reason, or still usable.
  if (session.status === 'closed') {
    assert.match(session.closedBecause ?? '', /maxLineLength/);
  } else {
    const next = await session.sendRaw('N2 NOOP');
    assert.equal(next.outcome, 'ok', next.text);
    assert.equal(next.text, 'still here');
  }
  assert.ok(rssMb() - before < 200, `rss grew by ${Math.round(rssMb() - before)} MB`);
});

test('IMAP: a literal declaring 10^15 octets is refused with maxLiteralBytes', async () => {
  const s = await answering('* OK ready\r\n', [
    [/FETCH/, (tag) => `* 1 FETCH (BODY[] {1000000000000000}\r\nabc\r\n${tag} OK done\r\n`],
  ]);
  const session = await openTracked(t, s, 'imap');
  const result = await session.sendRaw('F1 FETCH 1 BODY[]');
  assert.notEqual(result.outcome, 'ok');
  assert.match(session.transcript.render({ timestamps: false }), /maxLiteralBytes/);
  assert.ok(session.transcript.bytesOf('S').toString('latin1').includes('{1000000000000000}'));
});

test('SMTP: an endless multi-line reply stops at a named limit, memory bounded', async () => {
  const before = rssMb();
  let sentTotal = 0;
  const s = await answering('220 mx ESMTP\r\n', [
    [
      /^EHLO/,
      async (_tag, c) => {
        const block = Buffer.from(
          '250-X-ENDLESS aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(1000),
        );
        while (!c.closed && sentTotal < 20 * MB) {
          if (!(await c.send(block))) break;
          sentTotal += block.length;
        }
        return '';
      },
    ],
  ]);
  // The reply timeout is long on purpose: the session must end the endless reply by itself.
  const session = await openTracked(t, s, 'smtp', '', { greetingMs: 5_000, replyMs: 60_000 });
  const result = await session.sendRaw('EHLO client.example');
  assert.equal(result.outcome, 'closed');
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /maxSmtpReply(Lines|Bytes)\) twice without ending; closing/);
  assert.ok(sentTotal < 20 * MB, 'the client closed before the server gave up');
  const text = session.transcript.render({ timestamps: false });
  assert.match(text, /maxSmtpReply(Lines|Bytes)/, `${result.outcome}: ${result.text}`);
  assert.ok(rssMb() - before < 200, `rss grew by ${Math.round(rssMb() - before)} MB`);
});

test('IMAP: a server dripping 1 byte per 50 ms hits the reply timeout', async () => {
  const s = await answering('* OK ready\r\n', [
    [
      /NOOP/,
      async (tag, c) => {
        await c.send(`* OK ${'x'.repeat(40)}\r\n${tag} OK done\r\n`, { chunkSize: 1, delayMs: 50 });
        return '';
      },
    ],
  ]);
  const session = await openTracked(t, s, 'imap', '', { greetingMs: 5_000, replyMs: 400 });
  const started = Date.now();
  const result = await session.sendRaw('N1 NOOP');
  assert.equal(result.outcome, 'timeout', result.text);
  assert.match(result.text, /no reply from the server after/);
  assert.ok(Date.now() - started < 2_000, 'the drip did not keep the command waiting');
  assert.match(session.transcript.render({ timestamps: false }), /no reply from the server after/);
});

for (const [label, size, sentPart] of [
  ['a small literal', 1000, 500],
  ['a streamed literal', 1 * MB, 300 * 1024],
] as const) {
  test(`IMAP: a connection cut mid-literal (${label}) keeps every byte received`, async () => {
    let sent: Buffer = Buffer.alloc(0);
    const s = await startHostileServer(async (c) => {
      await c.send('* OK ready\r\n');
      await c.readLine();
      const body = Buffer.alloc(sentPart, 0x62);
      await c.send(Buffer.concat([Buffer.from(`* 1 FETCH (BODY[] {${size}}\r\n`), body]), {
        chunkSize: 64 * 1024,
      });
      sent = c.sentBytes();
      await new Promise((r) => setTimeout(r, 50));
      c.destroy();
    });
    const session = await openTracked(t, s, 'imap');
    const result = await session.sendRaw('F1 FETCH 1 BODY[]');
    assert.equal(result.outcome, 'closed', result.text);
    assert.equal(session.status, 'closed');
    assert.ok((session.closedBecause ?? '').length > 0);
    assert.ok(session.transcript.bytesOf('S').equals(sent), 'transcript holds exactly the bytes sent');
    assert.match(session.transcript.render({ timestamps: false }), /clos/i);
  });
}

// The "nothing dropped" invariant (src/protocol/types.ts): whatever the server sends and however
// it is split, every byte comes back exactly once, in order, in some event; receive never throws.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SmtpClientCodec, type SmtpEvent } from '../../../src/protocol/smtp/index.js';
import { loadDialogue, reassemble, serverBytes, splitAt } from './dialogue.js';

function run(clientLines: readonly string[], chunks: readonly Buffer[]): SmtpEvent[] {
  const c = new SmtpClientCodec();
  for (const l of clientLines) c.sendRaw(l);
  const events: SmtpEvent[] = [];
  for (const chunk of chunks) {
    events.push(...c.receive(chunk));
    c.takeOutgoing();
    if (c.state === 'tls-handshake') events.push(...c.tlsEstablished());
  }
  events.push(...c.closed());
  return events;
}

const replyLine = fc.oneof(
  fc.constantFrom(
    '220 hi',
    '250-a',
    '250 b',
    '354 go',
    '421 bye',
    '334 VXNlcm5hbWU6',
    '550 5.1.1 no',
    '250-SIZE 10',
    '2',
    '',
    '.',
    '250',
  ),
  fc.string({ maxLength: 30 }),
);
const ending = fc.constantFrom('\r\n', '\n', '\r', '');

describe('SMTP nothing-dropped invariant', () => {
  for (const fixture of ['smtp/postfix-session.txt', 'smtp/exchange-ehlo.txt']) {
    test(`random splits of ${fixture}`, () => {
      const steps = loadDialogue(fixture);
      const bytes = serverBytes(steps);
      const client = steps.filter((s) => s.from === 'C').map((s) => s.line);
      fc.assert(
        fc.property(fc.array(fc.nat(bytes.length), { maxLength: 30 }), (cuts) => {
          const events = run(client, splitAt(bytes, cuts));
          assert.deepEqual(reassemble(events), bytes);
          assert.ok(!events.some((e) => e.type === 'protocol-error'));
        }),
      );
    });
  }

  test('random reply-like lines and random bytes, any split, any commands', () => {
    const input = fc
      .array(
        fc.oneof(
          fc.tuple(replyLine, ending).map(([l, e]) => Buffer.from(l + e)),
          fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u)),
        ),
        {
          maxLength: 25,
        },
      )
      .map((parts) => Buffer.concat(parts));
    const commands = fc.array(
      fc.constantFrom(
        'EHLO x',
        'MAIL FROM:<a@b>',
        'RCPT TO:<c@d>',
        'DATA',
        'STARTTLS',
        'AUTH LOGIN',
        'QUIT',
        'BDAT 1 LAST',
      ),
      {
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(input, commands, fc.array(fc.nat(1000), { maxLength: 20 }), (bytes, client, cuts) => {
        const events = run(client, splitAt(bytes, cuts));
        assert.deepEqual(reassemble(events), bytes);
      }),
      { numRuns: 300 },
    );
  });
});

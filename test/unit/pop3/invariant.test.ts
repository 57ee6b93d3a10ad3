// The "nothing dropped" invariant for POP3: every server byte comes back exactly once, in order,
// in an event's raw or a payload chunk (streamed bodies keep the dot-stuffing they had on the
// wire); receive never throws, whatever the bytes and however they are split.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Pop3ClientCodec, type Pop3Event } from '../../../src/protocol/pop3/index.js';
import { LIMITS } from '../../../src/protocol/limits.js';
import { dotStuff } from '../../../src/protocol/smtp/data.js';
import { loadDialogue, reassemble, serverBytes, splitAt } from '../smtp/dialogue.js';

function run(clientLines: readonly string[], chunks: readonly Buffer[]): Pop3Event[] {
  const c = new Pop3ClientCodec();
  for (const l of clientLines) c.sendRaw(l);
  const events: Pop3Event[] = [];
  for (const chunk of chunks) {
    events.push(...c.receive(chunk));
    c.takeOutgoing();
    if (events.some((e) => e.type === 'starttls-ready')) events.push(...c.tlsEstablished());
  }
  events.push(...c.closed());
  return events;
}

describe('POP3 nothing-dropped invariant', () => {
  test('random splits of the Dovecot-like session', () => {
    const steps = loadDialogue('pop3/dovecot-session.txt');
    const bytes = serverBytes(steps);
    const client = steps.filter((s) => s.from === 'C').map((s) => s.line);
    fc.assert(
      fc.property(fc.array(fc.nat(bytes.length), { maxLength: 30 }), (cuts) => {
        const events = run(client, splitAt(bytes, cuts));
        assert.deepEqual(reassemble(events), bytes);
        assert.ok(!events.some((e) => e.type === 'protocol-error'));
        assert.equal(events.filter((e) => e.type === 'response').length, client.length);
      }),
    );
  });

  test('random status-like lines and random bytes, any split, any commands', () => {
    const line = fc.oneof(
      fc.constantFrom(
        '+OK',
        '-ERR [SYS/TEMP] x',
        '+ abc=',
        '.',
        '..',
        '1 20',
        '+OK 2 30',
        '-ERR',
        '+',
        '[',
        '',
      ),
      fc.string({ maxLength: 30 }),
    );
    const input = fc
      .array(
        fc.oneof(
          fc.tuple(line, fc.constantFrom('\r\n', '\n', '')).map(([l, e]) => Buffer.from(l + e)),
          fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u)),
        ),
        { maxLength: 25 },
      )
      .map((parts) => Buffer.concat(parts));
    const commands = fc.array(
      fc.constantFrom(
        'CAPA',
        'LIST',
        'UIDL 1',
        'RETR 1',
        'TOP 1 0',
        'STLS',
        'AUTH',
        'AUTH PLAIN',
        'PASS x',
        'QUIT',
      ),
      {
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(input, commands, fc.array(fc.nat(1000), { maxLength: 20 }), (bytes, client, cuts) => {
        assert.deepEqual(reassemble(run(client, splitAt(bytes, cuts))), bytes);
      }),
      { numRuns: 300 },
    );
  });

  test('streamed bodies, any split: payload plus raw rebuild the wire bytes', () => {
    const body = Buffer.from('x'.repeat(70) + '\r\n.dot\r\n..\r\n\r\n')
      .toString()
      .repeat(Math.ceil(LIMITS.streamPayloadOver / 80) + 10);
    const bytes = Buffer.concat([
      Buffer.from('+OK hi\r\n+OK\r\n'),
      dotStuff(Buffer.from(body)),
      Buffer.from('.\r\n+OK bye\r\n'),
    ]);
    fc.assert(
      fc.property(fc.array(fc.nat(bytes.length), { maxLength: 40 }), fc.boolean(), (cuts, closeEarly) => {
        const chunks = splitAt(bytes, cuts);
        const events = run(
          ['RETR 1', 'QUIT'],
          closeEarly ? chunks.slice(0, Math.ceil(chunks.length / 2)) : chunks,
        );
        const expected = closeEarly ? Buffer.concat(chunks.slice(0, Math.ceil(chunks.length / 2))) : bytes;
        assert.deepEqual(reassemble(events), expected);
      }),
      { numRuns: 20 },
    );
  });
});

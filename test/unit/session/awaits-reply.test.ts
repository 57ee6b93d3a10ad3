// awaitsReply(id), asked by the session once per command, agrees with the codecs' own lists of
// pending and held-back commands, whatever is sent and answered in whatever order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createCodec } from '../../../src/session/open.js';
import type { AnyCodec } from '../../../src/session/session.js';
import type { CommandRef, Protocol } from '../../../src/protocol/types.js';

const lines: Record<Protocol, { sends: string[]; replies: string[]; greeting: string }> = {
  imap: {
    greeting: '* OK ready\r\n',
    sends: ['A1 NOOP', 'A2 NOOP', 'untagged line', 'A3 LOGIN {5}', 'hello', 'A4 IDLE', 'DONE'],
    replies: [
      'A1 OK done\r\n',
      'A2 NO nope\r\n',
      'A3 OK in\r\n',
      '+ go\r\n',
      'A4 OK idle done\r\n',
      '* 1 EXISTS\r\n',
    ],
  },
  pop3: {
    greeting: '+OK ready\r\n',
    sends: ['NOOP', 'STAT', 'LIST', 'USER a'],
    replies: ['+OK\r\n', '-ERR no\r\n', '+OK 1 messages\r\n1 10\r\n.\r\n'],
  },
  smtp: {
    greeting: '220 ready\r\n',
    sends: ['EHLO me', 'NOOP', 'MAIL FROM:<a@b>', 'DATA', 'body line', '.'],
    replies: ['250 ok\r\n', '354 go\r\n', '550 no\r\n', '250-x\r\n250 y\r\n'],
  },
};

function oldAnswer(codec: AnyCodec, id: number): boolean {
  const queued = (codec as AnyCodec & { queuedCommands?: readonly CommandRef[] }).queuedCommands ?? [];
  return codec.pending.some((c) => c.id === id) || queued.some((c) => c.id === id);
}

for (const protocol of ['imap', 'pop3', 'smtp'] as const) {
  test(`${protocol}: awaitsReply agrees with the pending and queued lists`, () => {
    const { sends, replies, greeting } = lines[protocol];
    const step = fc.oneof(
      fc.record({ send: fc.constantFrom(...sends) }),
      fc.record({ reply: fc.constantFrom(...replies) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const codec = createCodec(protocol);
        codec.receive(Buffer.from(greeting));
        const ids: number[] = [];
        for (const s of steps) {
          if ('send' in s) ids.push(codec.sendRaw(s.send).id);
          else codec.receive(Buffer.from(s.reply));
          codec.takeOutgoing();
          for (const id of [...ids, 999_999])
            assert.equal(codec.awaitsReply(id), oldAnswer(codec, id), `id ${id}`);
        }
      }),
      { numRuns: 200 },
    );
  });
}

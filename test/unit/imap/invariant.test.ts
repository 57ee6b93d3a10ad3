// The "nothing dropped" rule from src/protocol/types.ts, property-tested: for any way of cutting
// recorded dialogues or random bytes into chunks, the events' raw bytes (with streamed payload
// chunks put back in place) are exactly the input, and receive() never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ImapClientCodec, type ImapEvent } from '../../../src/protocol/imap/index.js';
import { LIMITS } from '../../../src/protocol/limits.js';
import { FIXTURES, cutAt, loadDialogue, play, rebuild } from './dialogue.js';

const dialogues = FIXTURES.map((name) => ({ name, steps: loadDialogue(name) }));

test('recorded dialogues cut at random points: same bytes back, same typed events', () => {
  const reference = new Map(dialogues.map((d) => [d.name, play(d.steps).events]));
  fc.assert(
    fc.property(
      fc.constantFrom(...dialogues),
      fc.array(fc.nat({ max: 4000 }), { maxLength: 12 }),
      (d, cuts) => {
        const { events, received } = play(d.steps, (bytes) => cutAt(bytes, cuts));
        assert.ok(rebuild(events).equals(received));
        // Chunking must not change what was understood.
        assert.deepEqual(summary(events), summary(reference.get(d.name) ?? []));
      },
    ),
    { numRuns: 150 },
  );
});

/**
 * Events without raw byte views, comparable across different chunkings. Events after
 * starttls-ready are left out: which event carries the unparsed bytes depends on the chunking.
 */
function summary(events: readonly ImapEvent[]): string[] {
  const tls = events.findIndex((e) => e.type === 'starttls-ready');
  return events
    .slice(0, tls === -1 ? events.length : tls + 1)
    .map((e) =>
      JSON.stringify(e, (k, v: unknown) =>
        k === 'raw'
          ? undefined
          : typeof v === 'bigint'
            ? v.toString()
            : v instanceof Uint8Array
              ? Buffer.from(v).toString('hex')
              : v,
      ),
    );
}

const fragments = [
  '* ',
  '+ ',
  'A1 ',
  'OK ',
  'NO ',
  'BYE ',
  '[',
  ']',
  '(',
  ')',
  '"',
  '\\',
  ' ',
  '\r\n',
  '\n',
  '\r',
  '{3}\r\n',
  '{0}\r\n',
  '{5+}\r\n',
  '~{2}\r\n',
  '{99999999999999999}\r\n',
  'FETCH ',
  '1 ',
  'NIL ',
  'BODY[HEADER]<0> ',
  'ENVELOPE ',
  'LIST ',
  'CAPABILITY ',
  'UIDVALIDITY ',
  'abc',
  '\u00e9',
  '\0',
];

test('random byte soup and IMAP-ish fragments never throw and never lose a byte', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        fc
          .array(fc.constantFrom(...fragments), { maxLength: 60 })
          .map((xs) => new Uint8Array(Buffer.from(xs.join('')))),
      ),
      fc.array(fc.nat({ max: 600 }), { maxLength: 8 }),
      fc.boolean(),
      (input, cuts, greet) => {
        const codec = new ImapClientCodec();
        const events: ImapEvent[] = [];
        const prefix = greet ? Buffer.from('* OK hi\r\n') : Buffer.alloc(0);
        const all = Buffer.concat([prefix, Buffer.from(input)]);
        codec.command('NOOP');
        for (const piece of cutAt(all, cuts)) events.push(...codec.receive(piece));
        events.push(...codec.closed());
        assert.ok(rebuild(events).equals(all));
      },
    ),
    { numRuns: 400 },
  );
});

test('a streamed literal cut at random points is rebuilt exactly', () => {
  const size = LIMITS.streamPayloadOver + 17;
  const input = Buffer.concat([
    Buffer.from(`* OK hi\r\n* 1 FETCH (BODY[] {${size}}\r\n`),
    Buffer.alloc(size, 0x41),
    Buffer.from(' UID 3)\r\n* 2 EXISTS\r\n'),
  ]);
  fc.assert(
    fc.property(fc.array(fc.nat({ max: input.length }), { maxLength: 6 }), (cuts) => {
      const codec = new ImapClientCodec();
      const events = cutAt(input, cuts).flatMap((p) => codec.receive(p));
      assert.ok(rebuild(events).equals(input));
      assert.equal(events.filter((e) => e.type === 'untagged').length, 2);
    }),
    { numRuns: 25 },
  );
});
